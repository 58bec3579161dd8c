/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "rg-version.h"

/**
 * rg_version_string:
 *
 * Returns: the version of librcptguard, such as "0.1.0"
 */
const char *
rg_version_string(void)
{
	return PACKAGE_VERSION;
}
