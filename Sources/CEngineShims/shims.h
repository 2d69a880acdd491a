// Small wrappers for C calls Swift cannot import directly (prctl is variadic, malloc_trim is in
// malloc.h) and the one spawn the sandbox needs that posix_spawn cannot do (a parent-death
// signal, a uid switch for root).
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/// Makes this process non-dumpable: processes of the same user can no longer read its memory
/// or /proc/<pid>/environ (where API keys from the environment live).
static inline int ces_set_not_dumpable(void) { return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); }

/// Returns the free pages of every malloc arena to the system (glibc's malloc_trim).
static inline void ces_release_free_memory(void) { malloc_trim(0); }

/// pipe2(2) (glibc declares it only under _GNU_SOURCE, which a module header cannot set).
static inline int ces_pipe2(int fds[2], int flags) { return (int)syscall(SYS_pipe2, fds, flags); }

/// Closes every descriptor from `low` up; close_range where the kernel has it.
static inline void ces_close_from(int low) {
    if (syscall(SYS_close_range, (unsigned)low, ~0U, 0) != 0) {
        for (int fd = low; fd < 65536; fd++) close(fd);
    }
}

// glibc declares clone(2) and its flags only under _GNU_SOURCE, which a module header cannot set.
extern int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...);
enum { ces_clone_vm = 0x00000100, ces_clone_vfork = 0x00004000 };

struct ces_spawn_request {
    const char *path;
    char *const *argv;
    char *const *envp;
    int in_fd, out_fd, err_fd, extra_fd, control_fd;
    long uid, gid;
    pid_t parent;
    int failure;
};

/// The child side of ces_spawn. It runs in the parent's memory (CLONE_VM) while the parent waits
/// (CLONE_VFORK), so it only makes system calls and writes nothing but `failure`.
static inline int ces_spawn_child(void *raw) {
    struct ces_spawn_request *request = (struct ces_spawn_request *)raw;
    struct sigaction standard;
    memset(&standard, 0, sizeof standard);
    standard.sa_handler = SIG_DFL;
    for (int signal_number = 1; signal_number < NSIG; signal_number++) sigaction(signal_number, &standard, NULL);
    int failure = 0;
    // Move the three descriptors out of the way first, so dup2 never overwrites one still needed.
    int in_copy = fcntl(request->in_fd, 1030 /* F_DUPFD_CLOEXEC */, 10);
    int out_copy = fcntl(request->out_fd, 1030, 10);
    int err_copy = fcntl(request->err_fd, 1030, 10);
    int extra_copy = request->extra_fd >= 0 ? fcntl(request->extra_fd, 1030, 10) : -1;
    int control_copy = request->control_fd >= 0 ? fcntl(request->control_fd, 1030, 10) : -1;
    if (in_copy < 0 || out_copy < 0 || err_copy < 0 || (request->extra_fd >= 0 && extra_copy < 0)
        || (request->control_fd >= 0 && control_copy < 0)) failure = errno;
    if (!failure && (dup2(in_copy, 0) < 0 || dup2(out_copy, 1) < 0 || dup2(err_copy, 2) < 0)) failure = errno;
    // 3 is the extra descriptor, or a copy of stdin holding the place when only a control descriptor comes.
    if (!failure && extra_copy >= 0 && dup2(extra_copy, 3) < 0) failure = errno;
    if (!failure && extra_copy < 0 && control_copy >= 0 && dup2(0, 3) < 0) failure = errno;
    if (!failure && control_copy >= 0 && dup2(control_copy, 4) < 0) failure = errno;
    if (!failure) ces_close_from(control_copy >= 0 ? 5 : extra_copy >= 0 ? 4 : 3);
    if (!failure && setpgid(0, 0) != 0) failure = errno;
    // Raw system calls: glibc's setuid would try to signal the parent's other threads.
    if (!failure && request->uid >= 0) {
        if (syscall(SYS_setgroups, 0, NULL) != 0 || syscall(SYS_setgid, (gid_t)request->gid) != 0 ||
            syscall(SYS_setuid, (uid_t)request->uid) != 0) failure = errno;
    }
    if (!failure && prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) failure = errno;
    if (!failure && getppid() != request->parent) failure = ESRCH;  // the engine is already gone
    if (!failure) {
        sigset_t none;
        sigemptyset(&none);
        pthread_sigmask(SIG_SETMASK, &none, NULL);
        execve(request->path, request->argv, request->envp);
        failure = errno;
    }
    request->failure = failure ? failure : EINVAL;
    syscall(SYS_exit, 127);
    return 127;
}

/// Starts `path` with exactly `argv` and `envp`. The child's descriptors 0, 1 and 2 are `in_fd`,
/// `out_fd` and `err_fd`, 3 is `extra_fd` and 4 `control_fd` when they are not -1, and it has no other; it leads a process group of its own, starts with every
/// signal at its default and unblocked, switches to `uid`/`gid` with no supplementary groups when
/// `uid >= 0` (for a root engine), and gets SIGKILL when the thread that spawned it ends
/// (PR_SET_PDEATHSIG, set after the uid switch, which would clear it).
/// Like posix_spawn it shares the parent's memory until exec instead of copying it (a fork of a
/// large engine costs page tables and copy-on-write faults on every start).
/// Returns the child's pid, or -errno when the clone, the uid switch or exec failed.
static inline pid_t ces_spawn(const char *path, char *const argv[], char *const envp[],
                              int in_fd, int out_fd, int err_fd, int extra_fd, int control_fd, long uid, long gid) {
    enum { stack_size = 64 * 1024 };
    char *stack = (char *)malloc(stack_size);
    if (!stack) return -ENOMEM;
    struct ces_spawn_request request = { path, argv, envp, in_fd, out_fd, err_fd, extra_fd, control_fd, uid, gid, getpid(), 0 };
    sigset_t all, previous;
    sigfillset(&all);
    // No handler of this process may run in the child before exec.
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    uintptr_t top = ((uintptr_t)(stack + stack_size)) & ~(uintptr_t)15;
    pid_t pid = clone(ces_spawn_child, (void *)top, ces_clone_vm | ces_clone_vfork | SIGCHLD, &request);
    int clone_errno = errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    free(stack);
    if (pid < 0) return -clone_errno;
    if (request.failure) {
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        return -request.failure;
    }
    return pid;
}

/// A sealed, read-only file in memory holding `size` bytes of `bytes`: nobody (this process
/// included) can change, grow or shrink it once written. Returns a read-only descriptor, or -errno.
static inline int ces_sealed_memory_file(const char *name, const void *bytes, size_t size) {
    int fd = (int)syscall(SYS_memfd_create, name, 0x0001U /* MFD_CLOEXEC */ | 0x0002U /* MFD_ALLOW_SEALING */);
    if (fd < 0) return -errno;
    size_t done = 0;
    while (done < size) {
        ssize_t wrote = write(fd, (const char *)bytes + done, size - done);
        if (wrote < 0) {
            if (errno == EINTR) continue;
            int code = errno;
            close(fd);
            return -code;
        }
        done += (size_t)wrote;
    }
    // F_ADD_SEALS with F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE
    if (fcntl(fd, 1033, 0x0001 | 0x0002 | 0x0004 | 0x0008) != 0) {
        int code = errno;
        close(fd);
        return -code;
    }
    char path[64];
    int length = 0;
    const char *prefix = "/proc/self/fd/";
    while (prefix[length]) { path[length] = prefix[length]; length++; }
    int digits[12], count = 0, value = fd;
    do { digits[count++] = value % 10; value /= 10; } while (value);
    while (count) path[length++] = (char)('0' + digits[--count]);
    path[length] = 0;
    int readonly = open(path, O_RDONLY | O_CLOEXEC);
    int code = errno;
    close(fd);
    return readonly >= 0 ? readonly : -code;
}

/// waitpid without blocking. Returns 0 while the child runs, the pid once it ended (status in
/// `*status`: exit code, or 128 + signal), -1 on error.
static inline pid_t ces_reap(pid_t pid, int *exit_code, int *signal_number) {
    int status = 0;
    pid_t done;
    do { done = waitpid(pid, &status, WNOHANG); } while (done < 0 && errno == EINTR);
    if (done == pid) {
        *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        *signal_number = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    }
    return done;
}

/// A connected pair of Unix sockets that keep message boundaries (SOCK_SEQPACKET), close-on-exec.
static inline int ces_seqpacket_pair(int fds[2]) {
    return socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) == 0 ? 0 : -errno;
}

/// Sends `length` bytes and `count` descriptors (SCM_RIGHTS) as one message, without SIGPIPE.
/// Returns the bytes sent, or -errno.
static inline long ces_send_descriptors(int socket_fd, const void *bytes, size_t length, const int *fds, int count) {
    if (count < 0 || count > 8) return -EINVAL;
    union { char buffer[CMSG_SPACE(sizeof(int) * 8)]; struct cmsghdr align; } control;
    memset(&control, 0, sizeof control);
    struct iovec vector = { (void *)bytes, length };
    struct msghdr message;
    memset(&message, 0, sizeof message);
    message.msg_iov = &vector;
    message.msg_iovlen = 1;
    if (count > 0) {
        message.msg_control = control.buffer;
        message.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)count);
        struct cmsghdr *header = CMSG_FIRSTHDR(&message);
        header->cmsg_level = SOL_SOCKET;
        header->cmsg_type = SCM_RIGHTS;
        header->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)count);
        memcpy(CMSG_DATA(header), fds, sizeof(int) * (size_t)count);
    }
    ssize_t sent;
    do { sent = sendmsg(socket_fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT); } while (sent < 0 && errno == EINTR);
    return sent < 0 ? -errno : (long)sent;
}
