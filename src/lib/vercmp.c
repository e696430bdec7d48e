// SPDX-License-Identifier: MIT
/*
 * Version ordering for kernel releases, as dpkg compares versions
 * (lib/dpkg/version.c, verrevcmp()): it orders Debian's, Fedora's and
 * Arch's kernel file names the way their packagers meant.
 */

#include <stdbool.h>

#include <warmboot/choose.h>

static bool is_digit(char c)
{
        return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* dpkg's order() for one non-digit character: '~' first, then the end, letters, the rest. */
static int order(char c)
{
        if (is_digit(c))
                return 0;
        if (is_alpha(c))
                return c;
        if (c == '~')
                return -1;
        if (c)
                return c + 256;
        return 0;
}

int wb_version_compare(const char *a, const char *b)
{
        while (*a || *b) {
                int first_diff = 0;

                while ((*a && !is_digit(*a)) || (*b && !is_digit(*b))) {
                        int ac = order(*a);
                        int bc = order(*b);

                        if (ac != bc)
                                return ac - bc;
                        a++;
                        b++;
                }
                while (*a == '0')
                        a++;
                while (*b == '0')
                        b++;
                /* Same number of digits: the first difference decides; else the longer is larger. */
                while (is_digit(*a) && is_digit(*b)) {
                        if (!first_diff)
                                first_diff = *a - *b;
                        a++;
                        b++;
                }
                if (is_digit(*a))
                        return 1;
                if (is_digit(*b))
                        return -1;
                if (first_diff)
                        return first_diff;
        }
        return 0;
}
