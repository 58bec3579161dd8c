#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Writes the three Evolution sources a send needs: a mail account without a receiving server,
# its identity and an SMTP transport to the loopback sink. No startup wizard, no password.
# usage: make-sources.sh XDG_CONFIG_HOME SMTP_PORT
set -eu
d="$1/evolution/sources"
port=$2
mkdir -p "$d"
cat >"$d/rg-e2e-account.source" <<EOT
[Data Source]
DisplayName=tester@mailhost.org
Enabled=true
Parent=

[Mail Account]
BackendName=none
IdentityUid=rg-e2e-identity
ArchiveFolder=
NeedsInitialSetup=false
EOT
cat >"$d/rg-e2e-identity.source" <<EOT
[Data Source]
DisplayName=tester@mailhost.org
Enabled=true
Parent=rg-e2e-account

[Mail Identity]
Address=tester@mailhost.org
Name=Test Sender
Aliases=
Organization=
ReplyTo=
SignatureUid=none

[Mail Submission]
SentFolder=folder://local/Sent
TransportUid=rg-e2e-transport
UseSentFolder=true
RepliesToOriginFolder=false

[Mail Composition]
DraftsFolder=folder://local/Drafts
TemplatesFolder=folder://local/Templates
EOT
cat >"$d/rg-e2e-transport.source" <<EOT
[Data Source]
DisplayName=tester@mailhost.org
Enabled=true
Parent=rg-e2e-account

[Mail Transport]
BackendName=smtp

[Authentication]
Host=127.0.0.1
Port=$port
User=
Method=
RememberPassword=false

[Security]
Method=none
EOT
