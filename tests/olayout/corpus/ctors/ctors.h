/* ctors: constructors and destructors (.init_array/.fini_array, with
 * priorities), atexit handlers, explicit .init_array entries, a static data
 * pointer to a static function. Output order is part of the expected output. */
#ifndef CTORS_H
#define CTORS_H

void ctors_note(const char *who);
int ctors_count(void);
int ctors_transform(int x);

#endif
