/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* internal: the library translates with its own domain, whatever the host's is */
#include <glib/gi18n-lib.h>

void rg_i18n_init(void);
