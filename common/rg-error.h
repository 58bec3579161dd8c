/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

#include "rg-api.h"

G_BEGIN_DECLS

#define RG_ERROR (rg_error_quark())

/**
 * RgError:
 * @RG_ERROR_FAILED: generic failure
 * @RG_ERROR_INVALID_ADDRESS: an address or address list could not be parsed
 * @RG_ERROR_INVALID_POLICY: a policy or settings file is malformed
 * @RG_ERROR_INVALID_DATA: a data file (public suffix list, known list) is malformed
 * @RG_ERROR_NOT_FOUND: a file or database does not exist
 * @RG_ERROR_NOT_SUPPORTED: the operation is not supported by this build
 * @RG_ERROR_IO: reading or writing a file failed
 * @RG_ERROR_LOCKED: the system policy locks the setting the user tried to change
 * @RG_ERROR_BUSY: the history store is locked by another process; try again later
 * @RG_ERROR_CORRUPT: a database is damaged or was written by a newer version
 */
typedef enum {
	RG_ERROR_FAILED,
	RG_ERROR_INVALID_ADDRESS,
	RG_ERROR_INVALID_POLICY,
	RG_ERROR_INVALID_DATA,
	RG_ERROR_NOT_FOUND,
	RG_ERROR_NOT_SUPPORTED,
	RG_ERROR_IO,
	RG_ERROR_LOCKED,
	RG_ERROR_BUSY,
	RG_ERROR_CORRUPT,
} RgError;

RG_API GQuark rg_error_quark(void);

G_END_DECLS
