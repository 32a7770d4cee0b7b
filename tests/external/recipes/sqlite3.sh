# sqlite3 3.40: the canonical source tree (autotools, configure shipped);
# tclsh generates the amalgamation (sqlite3.c) and the shell's shell.c, and
# the shell is one compile and link of the two. Only the shell is built and
# optimized, for bench/external: sqlite's own suite (`make test`) runs the
# library through a Tcl harness (testfixture) built from sqlite3.c (only
# its shell*.test scripts run the shell, from that harness), so the bench
# checks the shell by the workload's output (what it
# prints and the database file it writes, identical in every variant) and
# `olayout verify`.
configure() { ./configure --disable-shared --disable-tcl --disable-readline CC="$OLCC"; }
# the build's own tools (lemon, mkkeywordhash) by the system's compiler:
# they name their sources by absolute paths, which differ between the
# bench's trees, and GCC then refuses their -fprofile-use profiles
build() { make -j2 BCC="gcc -g" sqlite3; }
progs() { echo sqlite3; }
bench_prog() { echo sqlite3; }
# workload SQLITE3 DIR: one shell process on a SQL script (in DIR/work.sql)
# that generates 20000 rows by a seeded linear congruential generator (no
# random(): its seed is not ours) into a database of about 2 MB (DIR/db):
# inserts through two indexes, aggregates with GROUP BY, a join, LIKE and
# string functions, window functions, json, FTS4 full-text search, an
# UPDATE and a DELETE, then VACUUM and an integrity check.
workload() { sqlite3_run "$1" "$2" sqlite3_script; }
# sqlite3_run SQLITE3 DIR SCRIPT: SCRIPT's SQL (DIR/work.sql) into a new DIR/db.
sqlite3_run() {
	mkdir -p "$2"
	rm -f "$2/db"
	"$3" > "$2/work.sql"
	"$1" "$2/db" < "$2/work.sql"
}
# heldout SQLITE3 DIR: bench/external's second workload, never trained on:
# another seeded table (12000 rows), an index built after the inserts,
# GROUP BY with HAVING, a self-join, LIKE, a CTE, FTS4 with OR, UPDATE and
# DELETE, no window functions, json or VACUUM.
heldout() { sqlite3_run "$1" "$2" sqlite3_heldout_script; }
sqlite3_heldout_script() {
	cat <<-'SQL'
	CREATE TABLE p(id INTEGER PRIMARY KEY, g INTEGER, v REAL, s TEXT);
	BEGIN;
	WITH RECURSIVE r(i, x) AS (SELECT 1, 12345
		UNION ALL SELECT i + 1, (x * 1103515245 + 12345) % 2147483648 FROM r WHERE i < 12000)
	INSERT INTO p SELECT i, x % 300, (x / 300 % 10000) / 10.0, printf('%x:%d:%s', x, i % 31,
		substr('red green blue cyan magenta yellow black white', 1 + x % 30, 5)) FROM r;
	COMMIT;
	CREATE INDEX p_g ON p(g);
	SELECT g, count(*), round(avg(v), 2) FROM p GROUP BY g HAVING count(*) > 45 ORDER BY 2 DESC LIMIT 8;
	SELECT count(*) FROM p a JOIN p b ON a.g = b.g AND b.id = a.id + 1;
	SELECT s FROM p WHERE s LIKE '%blue%' ORDER BY v DESC LIMIT 5;
	WITH t(g, m) AS (SELECT g, max(v) FROM p GROUP BY g) SELECT count(*), round(sum(m), 1) FROM t;
	CREATE VIRTUAL TABLE q USING fts4(body);
	INSERT INTO q(docid, body) SELECT id, s FROM p WHERE id % 3 = 0;
	SELECT count(*) FROM q WHERE q MATCH 'green OR cyan';
	UPDATE p SET v = v + 1 WHERE g % 5 = 0;
	DELETE FROM p WHERE id % 7 = 0;
	SELECT count(*), round(total(v), 1) FROM p;
	PRAGMA integrity_check;
	SQL
}
sqlite3_script() {
	cat <<-'SQL'
	PRAGMA page_size = 4096;
	PRAGMA journal_mode = DELETE;
	CREATE TABLE t(id INTEGER PRIMARY KEY, a INTEGER, b REAL, c TEXT, d TEXT);
	CREATE INDEX t_a ON t(a);
	CREATE INDEX t_c ON t(c);
	BEGIN;
	WITH RECURSIVE r(i, x) AS (SELECT 1, 20261203
		UNION ALL SELECT i + 1, (x * 1103515245 + 12345) % 2147483648 FROM r WHERE i < 20000)
	INSERT INTO t SELECT i, x % 1000, (x / 1000 % 100000) / 100.0, printf('%08x-%d', x, i % 97),
		substr('alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron',
			1 + x / 7 % 50, 6 + x / 11 % 20) FROM r;
	CREATE TABLE u(k INTEGER PRIMARY KEY, name TEXT, w INTEGER);
	WITH RECURSIVE r(i, x) AS (SELECT 0, 7
		UNION ALL SELECT i + 1, (x * 69069 + 1) % 4294967296 FROM r WHERE i < 999)
	INSERT INTO u SELECT i, 'n' || (x % 37), x % 1009 FROM r;
	COMMIT;
	SELECT a, count(*), round(sum(b), 2), min(c), max(c) FROM t GROUP BY a ORDER BY 2 DESC, 1 LIMIT 10;
	SELECT u.name, count(*), round(avg(t.b), 3), sum(u.w) FROM t JOIN u ON u.k = t.a
		GROUP BY u.name ORDER BY 2 DESC, 1 LIMIT 10;
	SELECT count(*), sum(length(d)), max(upper(d)) FROM t WHERE d LIKE '%eta%' OR c GLOB '*a-1?';
	SELECT id, a, rank() OVER (PARTITION BY a % 7 ORDER BY b DESC, id) AS rk,
		round(sum(b) OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW), 2)
		FROM t WHERE id % 1000 = 1 ORDER BY id;
	SELECT json_group_array(json_object('a', a, 'n', n)) FROM
		(SELECT a, count(*) AS n FROM t WHERE a < 20 GROUP BY a);
	CREATE VIRTUAL TABLE f USING fts4(body);
	INSERT INTO f(docid, body) SELECT id, d || ' ' || c FROM t WHERE id % 4 = 0;
	SELECT count(*) FROM f WHERE f MATCH 'gamma';
	SELECT docid, snippet(f) FROM f WHERE f MATCH 'theta iota' ORDER BY docid LIMIT 5;
	UPDATE t SET b = b * 1.5, c = replace(c, 'a', 'A') WHERE a < 200;
	DELETE FROM t WHERE id % 13 = 0;
	SELECT count(*), round(total(b), 2), count(DISTINCT c) FROM t;
	SELECT c FROM t WHERE c BETWEEN '4' AND '5' ORDER BY c LIMIT 5;
	VACUUM;
	PRAGMA integrity_check;
	SQL
}
