// SPDX-License-Identifier: MIT
/*
 * warmboot's configuration files: wb_config_parse() (/etc/warmboot.conf),
 * wb_config_parse_debian() (/etc/default/kexec) and the shell-like line
 * parser under both, wb_config_parse_line(). Input: the text of the
 * Debian file, '\0', the text of warmboot.conf; both are applied in that
 * order, as wb_config_load() does, and every line of the input also goes
 * through wb_config_parse_line() alone.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <warmboot/config.h>
#include <warmboot/error.h>

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        (void)argc, (void)argv;
        return 0;
}

static char *part(const uint8_t *p, size_t n)
{
        char *s = malloc(n + 1);

        if (!s)
                abort();
        memcpy(s, p, n);
        s[n] = '\0';
        return s;
}

static void check_cfg(const struct wb_config *cfg)
{
        FUZZ_CHECK(cfg->append != NULL);
        FUZZ_CHECK(wb_kernel_policy_name(cfg->kernel) != NULL);
        FUZZ_CHECK(wb_config_source_name(cfg->kernel_source) != NULL);
        for (size_t i = 0; i < cfg->nwarnings && i < WB_CONFIG_MAX_WARNINGS; i++)
                FUZZ_CHECK(memchr(cfg->warnings[i], '\0', sizeof(cfg->warnings[i])) != NULL);
        (void)strlen(cfg->append);
        if (cfg->kernel_path)
                (void)strlen(cfg->kernel_path);
        if (cfg->initrd_path)
                (void)strlen(cfg->initrd_path);
        if (cfg->cmdline)
                (void)strlen(cfg->cmdline);
}

static void check_lines(const char *text)
{
        char *copy = strdup(text), *line, *save = NULL;

        if (!copy)
                abort();
        for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *name = NULL, *value = NULL;
                int r = wb_config_parse_line(line, &name, &value);

                FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ENOMEM);
                if (r == 0 && name) {
                        FUZZ_CHECK(name[0] != '\0' && value != NULL);
                        FUZZ_CHECK(strlen(name) < strlen(line));
                        (void)strlen(value);
                }
                free(name);
                free(value);
        }
        free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const uint8_t *nul = memchr(data, '\0', size);
        size_t n1 = nul ? (size_t)(nul - data) : size;
        char *debian = part(data, n1);
        char *conf = part(nul ? nul + 1 : data + size, nul ? size - n1 - 1 : 0);
        struct wb_config cfg;
        struct wb_diag diag;
        int r;

        if (wb_config_init(&cfg) < 0)
                abort();
        r = wb_config_parse_debian(&cfg, debian, WB_CONFIG_DEBIAN_PATH, &diag);
        FUZZ_CHECK(r == 0 || r == -EINVAL || r == -EFBIG || r == -ENOMEM);
        if (r == 0) {
                check_cfg(&cfg);
                r = wb_config_parse(&cfg, conf, WB_CONFIG_PATH, &diag);
                FUZZ_CHECK(r == 0 || r == -EINVAL || r == -EFBIG || r == -ENOMEM);
                if (r == 0)
                        check_cfg(&cfg);
        }
        if (r < 0)
                FUZZ_CHECK(diag.reason[0] != '\0');
        wb_config_release(&cfg);

        /* warmboot.conf's parser on the first text too: each parser sees both kinds. */
        if (wb_config_init(&cfg) < 0)
                abort();
        if (wb_config_parse(&cfg, debian, WB_CONFIG_PATH, &diag) == 0)
                check_cfg(&cfg);
        wb_config_release(&cfg);

        check_lines(debian);
        check_lines(conf);
        free(conf);
        free(debian);
        return 0;
}
