/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "rg-error.h"

/**
 * rg_error_quark:
 *
 * Returns: the error domain of every #GError set by librcptguard
 */
G_DEFINE_QUARK(rg - error - quark, rg_error)
