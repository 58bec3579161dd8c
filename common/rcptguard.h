/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#define __RCPTGUARD_H_INSIDE__

#include "rg-address.h"
#include "rg-decision.h"
#include "rg-environment.h"
#include "rg-error.h"
#include "rg-history-notmuch.h"
#include "rg-history.h"
#include "rg-i18n.h"
#include "rg-import.h"
#include "rg-message.h"
#include "rg-paths.h"
#include "rg-policy.h"
#include "rg-problem.h"
#include "rg-report.h"
#include "rg-scorer.h"
#include "rg-server.h"
#include "rg-session.h"
#include "rg-store.h"
#include "rg-version.h"

#undef __RCPTGUARD_H_INSIDE__
