/*
 * measure: run a command RUNS times and print the median wall time and the
 * peak resident memory of the child, for tests/bench/run.sh.
 *
 *   measure RUNS COMMAND [ARG…]
 *   → "MEDIAN_MS MAX_PEAK_KB MIN_MS MAX_MS EXIT CPU_MS" on stdout
 *
 * Wall time is CLOCK_MONOTONIC around fork/wait4 (not /usr/bin/time's 10 ms
 * resolution); the peak is ru_maxrss of that child alone, as wait4 reports
 * it, so the shell and this program are not counted.  CPU_MS is the median
 * of user + system time: on a machine shared with other work it moves less
 * than the wall time, and the system part is mostly page faults.  The command's own
 * stdout and stderr go to /dev/null: only the numbers are printed.  A
 * failing run stops the measure with its exit status, so the table never
 * shows the time of an error.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int
by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(const double *v, int n)
{
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int
main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	double *ms, *cpu;
	long peak = 0;
	int runs, i, status, fd;
	pid_t pid;

	if (argc < 3 || (runs = atoi(argv[1])) < 1) {
		fputs("usage: measure RUNS COMMAND [ARG...]\n", stderr);
		return 2;
	}
	ms = calloc((size_t)runs, sizeof(*ms));
	cpu = calloc((size_t)runs, sizeof(*cpu));
	if (ms == NULL || cpu == NULL)
		return 2;
	for (i = 0; i < runs; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if ((pid = fork()) < 0) {
			perror("measure: fork");
			return 2;
		}
		if (pid == 0) {
			if ((fd = open("/dev/null", O_WRONLY)) >= 0) {
				dup2(fd, 1);
				dup2(fd, 2);
				close(fd);
			}
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		if (wait4(pid, &status, 0, &ru) < 0) {
			perror("measure: wait4");
			return 2;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			printf("0 0 0 0 %d 0\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
			return 1;
		}
		ms[i] = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
		cpu[i] = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
		    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
		if (ru.ru_maxrss > peak)
			peak = ru.ru_maxrss;
	}
	qsort(ms, (size_t)runs, sizeof(*ms), by_value);
	qsort(cpu, (size_t)runs, sizeof(*cpu), by_value);
	printf("%.1f %ld %.1f %.1f 0 %.1f\n", median(ms, runs), peak, ms[0], ms[runs - 1], median(cpu, runs));
	free(ms);
	free(cpu);
	return 0;
}
