/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

#include "rg-api.h"

G_BEGIN_DECLS

#define RG_TYPE_MESSAGE (rg_message_get_type())
RG_API
G_DECLARE_FINAL_TYPE(RgMessage, rg_message, RG, MESSAGE, GObject)

RG_API RgMessage *rg_message_new(GBytes *data);
RG_API GBytes *rg_message_get_bytes(RgMessage *self);
RG_API GPtrArray *rg_message_get_recipients(RgMessage *self);
RG_API char *rg_message_get_sender(RgMessage *self);
RG_API guint rg_message_replace_recipients(RgMessage *self, GHashTable *replacements);

G_END_DECLS
