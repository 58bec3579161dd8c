/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "rg-api.h"

/**
 * RgPathKind:
 * @RG_PATH_LIBEXECDIR: the directory of rcptguard's helper programs, such as rcptguard-dialog
 * @RG_PATH_LOCALEDIR: the directory of rcptguard's translations, for bindtextdomain()
 * @RG_PATH_DATADIR: the directory of rcptguard's built-in knowledge (`$datadir/rcptguard`)
 * @RG_PATH_MODULEDIR: the directory of rcptguard's private modules, loaded when first needed
 *   (`$libdir/rcptguard`: the notmuch import)
 *
 * The directories rg_path_get() knows.
 */
typedef enum {
	RG_PATH_LIBEXECDIR,
	RG_PATH_LOCALEDIR,
	RG_PATH_DATADIR,
	RG_PATH_MODULEDIR,
} RgPathKind;

RG_API const char *rg_path_get(RgPathKind kind);
