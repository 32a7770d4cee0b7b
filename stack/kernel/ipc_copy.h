/*
 * ipc_copy.h - the kernel's string copy: the best method for each size
 * (the EROS paper's hybrid copy), chosen from the block-move study in
 * bench/ipc/. The methods are exported so the study measures the same code.
 */
#ifndef IPC_COPY_H
#define IPC_COPY_H

#include <stddef.h>

void ipc_copy(void *dst, const void *src, size_t n);

#endif
