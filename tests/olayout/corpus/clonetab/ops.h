/* clonetab: binds function pointers to their clones at run time through the
 * clone table (tools/olayout/olayout_clone.h), for the path "fast". */
#ifndef OPS_H
#define OPS_H

struct clonetab_op {
	const char *name;
	long (*fn)(long a, long b);
};

extern const struct clonetab_op clonetab_ops[];
extern const int clonetab_nops;

long op_add(long a, long b);
long op_mul(long a, long b);
long op_mix(long a, long b);

#endif
