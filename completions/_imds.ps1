
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'imds' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'imds'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'imds' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Base URL of the metadata service [env: IMDS_ENDPOINT]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)')
            [CompletionResult]::new('--default', '--default', [CompletionResultType]::ParameterName, 'What a --field or --shell path that matches nothing gives, instead of exit 6')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]')
            [CompletionResult]::new('--secure', '--secure', [CompletionResultType]::ParameterName, 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('--compact', '--compact', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('-0', '-0', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('--null', '--null', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Mint an identity access token and print it')
            [CompletionResult]::new('cert', 'cert', [CompletionResultType]::ParameterValue, 'Get an instance identity certificate: a new key, a CSR, the signed chain')
            [CompletionResult]::new('instance', 'instance', [CompletionResultType]::ParameterValue, 'Print the instance document')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Print the initialization data (keys, user_data, default_trusted_profile)')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'List the SSH keys of the instance, or show one')
            [CompletionResult]::new('placement-groups', 'placement-groups', [CompletionResultType]::ParameterValue, 'List the placement groups, or show one')
            [CompletionResult]::new('nics', 'nics', [CompletionResultType]::ParameterValue, 'List the network interfaces, or show one')
            [CompletionResult]::new('volumes', 'volumes', [CompletionResultType]::ParameterValue, 'List the volume attachments, or show one')
            [CompletionResult]::new('software', 'software', [CompletionResultType]::ParameterValue, 'List the software attachments (vendor software and its licence keys), or show one')
            [CompletionResult]::new('network-attachments', 'network-attachments', [CompletionResultType]::ParameterValue, 'List the network attachments (each with its virtual network interface), or show one')
            [CompletionResult]::new('cluster-network-attachments', 'cluster-network-attachments', [CompletionResultType]::ParameterValue, 'List the cluster network attachments, or show one')
            [CompletionResult]::new('vnis', 'vnis', [CompletionResultType]::ParameterValue, 'List the virtual network interfaces, or show one')
            [CompletionResult]::new('disks', 'disks', [CompletionResultType]::ParameterValue, 'List the disks and the local block device each one is')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'GET any path under /metadata/v1/ and print the document (all pages)')
            [CompletionResult]::new('snapshot', 'snapshot', [CompletionResultType]::ParameterValue, 'Print everything the service tells this instance, as an imds-mock fixture')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Run a read command again and again; print its output at the start and when it changes')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Diagnose access to the metadata service and print the fix')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with a fresh token in its environment')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'imds;token' {
            [CompletionResult]::new('--expires-in', '--expires-in', [CompletionResultType]::ParameterName, 'Token lifetime in seconds (5-3600); an IAM token''s lifetime is IAM''s, so not with --iam')
            [CompletionResult]::new('--profile-id', '--profile-id', [CompletionResultType]::ParameterName, 'Trusted profile id for --iam (default: the instance''s default profile)')
            [CompletionResult]::new('--profile-crn', '--profile-crn', [CompletionResultType]::ParameterName, 'Trusted profile CRN for --iam (default: the instance''s default profile)')
            [CompletionResult]::new('--profile-name', '--profile-name', [CompletionResultType]::ParameterName, 'Trusted profile name for --iam (default: the instance''s default profile)')
            [CompletionResult]::new('--nonce', '--nonce', [CompletionResultType]::ParameterName, 'Send TEXT as the token''s nonce; the answer must carry it back (else exit 7)')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Base URL of the metadata service [env: IMDS_ENDPOINT]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)')
            [CompletionResult]::new('--default', '--default', [CompletionResultType]::ParameterName, 'What a --field or --shell path that matches nothing gives, instead of exit 6')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the whole token response as JSON')
            [CompletionResult]::new('--export', '--export', [CompletionResultType]::ParameterName, 'Print `export IMDS_TOKEN=…` for `eval`')
            [CompletionResult]::new('--claims', '--claims', [CompletionResultType]::ParameterName, 'Print the token''s claims (its JWT payload) as JSON: decoded, NOT verified')
            [CompletionResult]::new('--iam', '--iam', [CompletionResultType]::ParameterName, 'Exchange the identity token for an IAM token of a trusted profile')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Keep -o FILE fresh until stopped (SIGTERM or SIGINT: exit 0, FILE left in place)')
            [CompletionResult]::new('--secure', '--secure', [CompletionResultType]::ParameterName, 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('--compact', '--compact', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('-0', '-0', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('--null', '--null', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'imds;cert' {
            [CompletionResult]::new('--key-out', '--key-out', [CompletionResultType]::ParameterName, 'Write the new private key here (PKCS#8 PEM, mode 0600, all at once); required unless --csr is given')
            [CompletionResult]::new('--subject', '--subject', [CompletionResultType]::ParameterName, 'Subject of the request in openssl''s -subj form, with C, ST, L, O and OU only')
            [CompletionResult]::new('--key-type', '--key-type', [CompletionResultType]::ParameterName, 'Kind of key to make')
            [CompletionResult]::new('--csr', '--csr', [CompletionResultType]::ParameterName, 'Send this PEM certificate signing request as it is, instead of making a key')
            [CompletionResult]::new('--expires-in', '--expires-in', [CompletionResultType]::ParameterName, 'Certificate lifetime in seconds (300-3600)')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Base URL of the metadata service [env: IMDS_ENDPOINT]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)')
            [CompletionResult]::new('--default', '--default', [CompletionResultType]::ParameterName, 'What a --field or --shell path that matches nothing gives, instead of exit 6')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing --key-out file')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the whole response as JSON')
            [CompletionResult]::new('--secure', '--secure', [CompletionResultType]::ParameterName, 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('--compact', '--compact', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('-0', '-0', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('--null', '--null', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'imds;instance' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Base URL of the metadata service [env: IMDS_ENDPOINT]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)')
            [CompletionResult]::new('--default', '--default', [CompletionResultType]::ParameterName, 'What a --field or --shell path that matches nothing gives, instead of exit 6')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]')
            [CompletionResult]::new('--secure', '--secure', [CompletionResultType]::ParameterName, 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('--compact', '--compact', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('-0', '-0', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('--null', '--null', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'imds;init' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Base URL of the metadata service [env: IMDS_ENDPOINT]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)')
            [CompletionResult]::new('--default', '--default', [CompletionResultType]::ParameterName, 'What a --field or --shell path that matches nothing gives, instead of exit 6')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]')
            [CompletionResult]::new('--user-data', '--user-data', [CompletionResultType]::ParameterName, 'Print the user data byte-exact, with nothing added (nothing when there is none)')
            [CompletionResult]::new('--secure', '--secure', [CompletionResultType]::ParameterName, 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('--compact', '--compact', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('-0', '-0', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('--null', '--null', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'imds;keys' {
            [CompletionResult]::new('--authorized-keys', '--authorized-keys', [CompletionResultType]::ParameterName, 'Add the keys to this authorized_keys file, unless there already')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Base URL of the metadata service [env: IMDS_ENDPOINT]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)')
            [CompletionResult]::new('--default', '--default', [CompletionResultType]::ParameterName, 'What a --field or --shell path that matches nothing gives, instead of exit 6')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]')
            [CompletionResult]::new('--secure', '--secure', [CompletionResultType]::ParameterName, 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('--compact', '--compact', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('-0', '-0', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('--null', '--null', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'imds;placement-groups' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Base URL of the metadata service [env: IMDS_ENDPOINT]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)')
            [CompletionResult]::new('--default', '--default', [CompletionResultType]::ParameterName, 'What a --field or --shell path that matches nothing gives, instead of exit 6')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]')
            [CompletionResult]::new('--secure', '--secure', [CompletionResultType]::ParameterName, 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('--compact', '--compact', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('-0', '-0', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('--null', '--null', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'imds;nics' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Base URL of the metadata service [env: IMDS_ENDPOINT]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)')
            [CompletionResult]::new('--default', '--default', [CompletionResultType]::ParameterName, 'What a --field or --shell path that matches nothing gives, instead of exit 6')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]')
            [CompletionResult]::new('--secure', '--secure', [CompletionResultType]::ParameterName, 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('--compact', '--compact', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('-0', '-0', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('--null', '--null', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'imds;volumes' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Base URL of the metadata service [env: IMDS_ENDPOINT]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)')
            [CompletionResult]::new('--default', '--default', [CompletionResultType]::ParameterName, 'What a --field or --shell path that matches nothing gives, instead of exit 6')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]')
            [CompletionResult]::new('--secure', '--secure', [CompletionResultType]::ParameterName, 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('--compact', '--compact', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('-0', '-0', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('--null', '--null', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'imds;software' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Base URL of the metadata service [env: IMDS_ENDPOINT]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)')
            [CompletionResult]::new('--default', '--default', [CompletionResultType]::ParameterName, 'What a --field or --shell path that matches nothing gives, instead of exit 6')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]')
            [CompletionResult]::new('--secure', '--secure', [CompletionResultType]::ParameterName, 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('--compact', '--compact', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('-0', '-0', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('--null', '--null', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'imds;network-attachments' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Base URL of the metadata service [env: IMDS_ENDPOINT]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)')
            [CompletionResult]::new('--default', '--default', [CompletionResultType]::ParameterName, 'What a --field or --shell path that matches nothing gives, instead of exit 6')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]')
            [CompletionResult]::new('--secure', '--secure', [CompletionResultType]::ParameterName, 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('--compact', '--compact', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('-0', '-0', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('--null', '--null', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'imds;cluster-network-attachments' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Base URL of the metadata service [env: IMDS_ENDPOINT]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)')
            [CompletionResult]::new('--default', '--default', [CompletionResultType]::ParameterName, 'What a --field or --shell path that matches nothing gives, instead of exit 6')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]')
            [CompletionResult]::new('--secure', '--secure', [CompletionResultType]::ParameterName, 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('--compact', '--compact', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('-0', '-0', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('--null', '--null', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'imds;vnis' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Base URL of the metadata service [env: IMDS_ENDPOINT]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)')
            [CompletionResult]::new('--default', '--default', [CompletionResultType]::ParameterName, 'What a --field or --shell path that matches nothing gives, instead of exit 6')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]')
            [CompletionResult]::new('--secure', '--secure', [CompletionResultType]::ParameterName, 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('--compact', '--compact', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('-0', '-0', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('--null', '--null', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'imds;disks' {
            [CompletionResult]::new('--root', '--root', [CompletionResultType]::ParameterName, 'Read sys/block and dev/disk/by-id under DIR instead of / (to test with a made-up tree)')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Base URL of the metadata service [env: IMDS_ENDPOINT]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)')
            [CompletionResult]::new('--default', '--default', [CompletionResultType]::ParameterName, 'What a --field or --shell path that matches nothing gives, instead of exit 6')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]')
            [CompletionResult]::new('--secure', '--secure', [CompletionResultType]::ParameterName, 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('--compact', '--compact', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('-0', '-0', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('--null', '--null', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'imds;get' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Base URL of the metadata service [env: IMDS_ENDPOINT]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)')
            [CompletionResult]::new('--default', '--default', [CompletionResultType]::ParameterName, 'What a --field or --shell path that matches nothing gives, instead of exit 6')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]')
            [CompletionResult]::new('--secure', '--secure', [CompletionResultType]::ParameterName, 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('--compact', '--compact', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('-0', '-0', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('--null', '--null', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'imds;snapshot' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Base URL of the metadata service [env: IMDS_ENDPOINT]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)')
            [CompletionResult]::new('--default', '--default', [CompletionResultType]::ParameterName, 'What a --field or --shell path that matches nothing gives, instead of exit 6')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]')
            [CompletionResult]::new('--redact', '--redact', [CompletionResultType]::ParameterName, 'Leave out the user data, the administrator password and any licence keys')
            [CompletionResult]::new('--secure', '--secure', [CompletionResultType]::ParameterName, 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('--compact', '--compact', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('-0', '-0', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('--null', '--null', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'imds;watch' {
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Time between polls, with 10% jitter either way (at least 1s)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'End (exit 0) after printing the first observation where COND holds')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'End (exit 0) after N observations printed')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'End after DURATION: exit 0, or with --until not met, exit 8')
            [CompletionResult]::new('--max-failures', '--max-failures', [CompletionResultType]::ParameterName, 'End after N failed polls in a row, with the last one''s exit status')
            [CompletionResult]::new('--exec', '--exec', [CompletionResultType]::ParameterName, 'Run `sh -c CMD` for each observation printed, with the output on its stdin')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Base URL of the metadata service [env: IMDS_ENDPOINT]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)')
            [CompletionResult]::new('--default', '--default', [CompletionResultType]::ParameterName, 'What a --field or --shell path that matches nothing gives, instead of exit 6')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]')
            [CompletionResult]::new('--secure', '--secure', [CompletionResultType]::ParameterName, 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('--compact', '--compact', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('-0', '-0', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('--null', '--null', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'imds;doctor' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Base URL of the metadata service [env: IMDS_ENDPOINT]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)')
            [CompletionResult]::new('--default', '--default', [CompletionResultType]::ParameterName, 'What a --field or --shell path that matches nothing gives, instead of exit 6')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]')
            [CompletionResult]::new('--secure', '--secure', [CompletionResultType]::ParameterName, 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('--compact', '--compact', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('-0', '-0', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('--null', '--null', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'imds;exec' {
            [CompletionResult]::new('--expires-in', '--expires-in', [CompletionResultType]::ParameterName, 'Identity token lifetime in seconds (5-3600)')
            [CompletionResult]::new('--profile-id', '--profile-id', [CompletionResultType]::ParameterName, 'Trusted profile id for --iam (default: the instance''s default profile)')
            [CompletionResult]::new('--profile-crn', '--profile-crn', [CompletionResultType]::ParameterName, 'Trusted profile CRN for --iam (default: the instance''s default profile)')
            [CompletionResult]::new('--profile-name', '--profile-name', [CompletionResultType]::ParameterName, 'Trusted profile name for --iam (default: the instance''s default profile)')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Base URL of the metadata service [env: IMDS_ENDPOINT]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Print only this field (repeatable: tab-separated columns)')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)')
            [CompletionResult]::new('--default', '--default', [CompletionResultType]::ParameterName, 'What a --field or --shell path that matches nothing gives, instead of exit 6')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the output to FILE instead of stdout, all at once')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]')
            [CompletionResult]::new('--iam', '--iam', [CompletionResultType]::ParameterName, 'Also put an IAM token of a trusted profile in IC_IAM_TOKEN and IBMCLOUD_IAM_TOKEN')
            [CompletionResult]::new('--secure', '--secure', [CompletionResultType]::ParameterName, 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('--compact', '--compact', [CompletionResultType]::ParameterName, 'Print JSON on one line')
            [CompletionResult]::new('-0', '-0', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('--null', '--null', [CompletionResultType]::ParameterName, 'End every picked value with NUL, raw: no newlines, no tabs between columns')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print one line per HTTP attempt on stderr (tokens are redacted)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'imds;help' {
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Mint an identity access token and print it')
            [CompletionResult]::new('cert', 'cert', [CompletionResultType]::ParameterValue, 'Get an instance identity certificate: a new key, a CSR, the signed chain')
            [CompletionResult]::new('instance', 'instance', [CompletionResultType]::ParameterValue, 'Print the instance document')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Print the initialization data (keys, user_data, default_trusted_profile)')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'List the SSH keys of the instance, or show one')
            [CompletionResult]::new('placement-groups', 'placement-groups', [CompletionResultType]::ParameterValue, 'List the placement groups, or show one')
            [CompletionResult]::new('nics', 'nics', [CompletionResultType]::ParameterValue, 'List the network interfaces, or show one')
            [CompletionResult]::new('volumes', 'volumes', [CompletionResultType]::ParameterValue, 'List the volume attachments, or show one')
            [CompletionResult]::new('software', 'software', [CompletionResultType]::ParameterValue, 'List the software attachments (vendor software and its licence keys), or show one')
            [CompletionResult]::new('network-attachments', 'network-attachments', [CompletionResultType]::ParameterValue, 'List the network attachments (each with its virtual network interface), or show one')
            [CompletionResult]::new('cluster-network-attachments', 'cluster-network-attachments', [CompletionResultType]::ParameterValue, 'List the cluster network attachments, or show one')
            [CompletionResult]::new('vnis', 'vnis', [CompletionResultType]::ParameterValue, 'List the virtual network interfaces, or show one')
            [CompletionResult]::new('disks', 'disks', [CompletionResultType]::ParameterValue, 'List the disks and the local block device each one is')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'GET any path under /metadata/v1/ and print the document (all pages)')
            [CompletionResult]::new('snapshot', 'snapshot', [CompletionResultType]::ParameterValue, 'Print everything the service tells this instance, as an imds-mock fixture')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Run a read command again and again; print its output at the start and when it changes')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Diagnose access to the metadata service and print the fix')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with a fresh token in its environment')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'imds;help;token' {
            break
        }
        'imds;help;cert' {
            break
        }
        'imds;help;instance' {
            break
        }
        'imds;help;init' {
            break
        }
        'imds;help;keys' {
            break
        }
        'imds;help;placement-groups' {
            break
        }
        'imds;help;nics' {
            break
        }
        'imds;help;volumes' {
            break
        }
        'imds;help;software' {
            break
        }
        'imds;help;network-attachments' {
            break
        }
        'imds;help;cluster-network-attachments' {
            break
        }
        'imds;help;vnis' {
            break
        }
        'imds;help;disks' {
            break
        }
        'imds;help;get' {
            break
        }
        'imds;help;snapshot' {
            break
        }
        'imds;help;watch' {
            break
        }
        'imds;help;doctor' {
            break
        }
        'imds;help;exec' {
            break
        }
        'imds;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
