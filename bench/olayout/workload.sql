-- bench.py's check that a rewritten sqlite3 shell works as the original:
-- both run this on :memory: and must print the same. It touches the parser,
-- the VDBE, B-trees, sorting, window functions, JSON, FTS5, R-tree and math.
CREATE TABLE t(id INTEGER PRIMARY KEY, a INT, b TEXT, c REAL);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
INSERT INTO t SELECT i, (i * 7919) % 1000, printf('row-%05d-%x', i, i * 2654435761 % 65536),
                     sin(i) * 100 FROM n;
CREATE INDEX t_a ON t(a);
SELECT count(*), sum(a), min(b), max(b), round(total(c), 6) FROM t;
SELECT a, count(*), group_concat(id, ',') FROM t WHERE a < 5 GROUP BY a ORDER BY a;
SELECT id, a, rank() OVER (PARTITION BY a % 10 ORDER BY c DESC) AS r FROM t
 WHERE id % 997 = 0 ORDER BY id;
SELECT x.a, y.b FROM t AS x JOIN t AS y ON y.id = x.a + 1 WHERE x.id BETWEEN 100 AND 105;
SELECT json_object('n', count(*), 'avg', round(avg(a), 3)),
       json_extract('{"k":[1,2,{"z":"q"}]}', '$.k[2].z') FROM t;
CREATE VIRTUAL TABLE doc USING fts5(body);
INSERT INTO doc SELECT 'alpha ' || b || CASE WHEN id % 3 = 0 THEN ' gamma' ELSE ' delta' END
  FROM t WHERE id <= 3000;
SELECT count(*) FROM doc WHERE doc MATCH 'gamma';
SELECT rowid, highlight(doc, 0, '[', ']') FROM doc WHERE doc MATCH '"row-00042"*' ORDER BY rowid;
CREATE VIRTUAL TABLE box USING rtree(id, x0, x1, y0, y1);
INSERT INTO box SELECT id, a, a + 10, c, c + 5 FROM t WHERE id <= 5000;
SELECT count(*) FROM box WHERE x0 > 100 AND x1 < 300 AND y0 > 0;
SELECT round(sqrt(2), 9), round(exp(1), 9), round(log10(12345), 9), upper(hex(zeroblob(3)));
WITH RECURSIVE f(n, v) AS (SELECT 1, 1 UNION ALL SELECT n + 1, v * (n + 1) % 1000003 FROM f
 WHERE n < 5000) SELECT max(n), sum(v) FROM f;
DELETE FROM t WHERE a % 3 = 0;
VACUUM;
SELECT count(*), sum(id) FROM t;
