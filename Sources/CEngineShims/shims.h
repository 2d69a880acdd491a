// Small wrappers for C calls Swift cannot import directly (prctl is variadic).
#include <sys/prctl.h>

/// Makes this process non-dumpable: processes of the same user can no longer read its memory
/// or /proc/<pid>/environ (where API keys from the environment live).
static inline int ces_set_not_dumpable(void) { return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); }
