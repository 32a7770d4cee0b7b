/* onefile.c - the whole stack as one translation unit (no -flto needed). */
#include "lib.c"
#include "app.c"
#include "tcp.c"
#include "udp.c"
#include "ip.c"
#include "eth.c"
#include "main.c"
