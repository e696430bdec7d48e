// SPDX-License-Identifier: MIT
/*
 * bench/wbtime: runs a command and prints, on standard error, one line
 *   WB-TIME <wall ms> <peak RSS KiB> <exit status>
 * the wall time from fork to exit (CLOCK_MONOTONIC) and the child's peak
 * resident set (getrusage's ru_maxrss: the kernel's hiwater_rss, what
 * /proc/PID/status calls VmHWM). Static, tiny: it runs in the bench guest.
 * Usage: wbtime COMMAND [ARG]...
 */

#include <stdio.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
        struct timespec a, b;
        struct rusage ru;
        int status;
        pid_t pid;

        if (argc < 2) {
                fprintf(stderr, "usage: wbtime COMMAND [ARG]...\n");
                return 2;
        }
        clock_gettime(CLOCK_MONOTONIC, &a);
        pid = fork();
        if (pid < 0) {
                perror("wbtime: fork");
                return 2;
        }
        if (pid == 0) {
                execvp(argv[1], argv + 1);
                perror("wbtime: exec");
                _exit(127);
        }
        if (wait4(pid, &status, 0, &ru) < 0) {
                perror("wbtime: wait4");
                return 2;
        }
        clock_gettime(CLOCK_MONOTONIC, &b);
        fprintf(stderr, "WB-TIME %.1f %ld %d\n",
                (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6,
                ru.ru_maxrss, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
        return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
