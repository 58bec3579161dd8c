/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "rg-api.h"

RG_API const char *rg_version_string(void);
