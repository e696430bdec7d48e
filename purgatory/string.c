// SPDX-License-Identifier: MIT
/*
 * memcpy and memset for the freestanding blob: GCC may turn struct copies
 * and loops into calls to them even with -ffreestanding. Written with
 * rep movsb/stosb, so that the compiler cannot recognise these loops and
 * call the functions from themselves.
 */

#include "purgatory.h"

void *memcpy(void *dest, const void *src, size_t n)
{
        void *d = dest;

        __asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
        return dest;
}

void *memset(void *dest, int c, size_t n)
{
        void *d = dest;

        __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
        return dest;
}
