# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_imds_global_optspecs
    string join \n endpoint= secure cacert= api-version= f/field= shell= default= o/output= c/compact 0/null color= timeout= wait= v/verbose h/help V/version
end

function __fish_imds_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    # A command line that does not parse yet (an option still waiting for its
    # value) has no subcommand yet.
    argparse -s (__fish_imds_global_optspecs) -- $cmd 2>/dev/null
    or return 0
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_imds_using_subcommand
    set -l cmd (__fish_imds_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c imds -n "__fish_imds_needs_command" -l endpoint -d 'Base URL of the metadata service [env: IMDS_ENDPOINT]' -r -f
complete -c imds -n "__fish_imds_needs_command" -l cacert -d 'Extra CA certificate (PEM) to trust for HTTPS, besides the system\'s' -r -F
complete -c imds -n "__fish_imds_needs_command" -l api-version -d 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]' -r -f
complete -c imds -n "__fish_imds_needs_command" -s f -l field -d 'Print only this field (repeatable: tab-separated columns)' -r -f
complete -c imds -n "__fish_imds_needs_command" -l shell -d 'Print NAME=\'value\' lines for `eval` in sh, dash, bash and zsh (repeatable)' -r -f
complete -c imds -n "__fish_imds_needs_command" -l default -d 'What a --field or --shell path that matches nothing gives, instead of exit 6' -r -f
complete -c imds -n "__fish_imds_needs_command" -s o -l output -d 'Write the output to FILE instead of stdout, all at once' -r -F
complete -c imds -n "__fish_imds_needs_command" -l color -d 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)' -r -f -a "auto\t'Colour when stdout is a terminal, NO_COLOR is unset and TERM is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c imds -n "__fish_imds_needs_command" -l timeout -d 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]' -r -f
complete -c imds -n "__fish_imds_needs_command" -l wait -d 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]' -r -f
complete -c imds -n "__fish_imds_needs_command" -l secure -d 'Use the service\'s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
complete -c imds -n "__fish_imds_needs_command" -s c -l compact -d 'Print JSON on one line'
complete -c imds -n "__fish_imds_needs_command" -s 0 -l null -d 'End every picked value with NUL, raw: no newlines, no tabs between columns'
complete -c imds -n "__fish_imds_needs_command" -s v -l verbose -d 'Print one line per HTTP attempt on stderr (tokens are redacted)'
complete -c imds -n "__fish_imds_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imds -n "__fish_imds_needs_command" -s V -l version -d 'Print version'
complete -c imds -n "__fish_imds_needs_command" -f -a "token" -d 'Mint an identity access token and print it'
complete -c imds -n "__fish_imds_needs_command" -f -a "cert" -d 'Get an instance identity certificate: a new key, a CSR, the signed chain'
complete -c imds -n "__fish_imds_needs_command" -f -a "instance" -d 'Print the instance document'
complete -c imds -n "__fish_imds_needs_command" -f -a "init" -d 'Print the initialization data (keys, user_data, default_trusted_profile)'
complete -c imds -n "__fish_imds_needs_command" -f -a "keys" -d 'List the SSH keys of the instance, or show one'
complete -c imds -n "__fish_imds_needs_command" -f -a "placement-groups" -d 'List the placement groups, or show one'
complete -c imds -n "__fish_imds_needs_command" -f -a "nics" -d 'List the network interfaces, or show one'
complete -c imds -n "__fish_imds_needs_command" -f -a "volumes" -d 'List the volume attachments, or show one'
complete -c imds -n "__fish_imds_needs_command" -f -a "software" -d 'List the software attachments (vendor software and its licence keys), or show one'
complete -c imds -n "__fish_imds_needs_command" -f -a "network-attachments" -d 'List the network attachments (each with its virtual network interface), or show one'
complete -c imds -n "__fish_imds_needs_command" -f -a "cluster-network-attachments" -d 'List the cluster network attachments, or show one'
complete -c imds -n "__fish_imds_needs_command" -f -a "vnis" -d 'List the virtual network interfaces, or show one'
complete -c imds -n "__fish_imds_needs_command" -f -a "disks" -d 'List the disks and the local block device each one is'
complete -c imds -n "__fish_imds_needs_command" -f -a "get" -d 'GET any path under /metadata/v1/ and print the document (all pages)'
complete -c imds -n "__fish_imds_needs_command" -f -a "snapshot" -d 'Print everything the service tells this instance, as an imds-mock fixture'
complete -c imds -n "__fish_imds_needs_command" -f -a "watch" -d 'Run a read command again and again; print its output at the start and when it changes'
complete -c imds -n "__fish_imds_needs_command" -f -a "doctor" -d 'Diagnose access to the metadata service and print the fix'
complete -c imds -n "__fish_imds_needs_command" -f -a "exec" -d 'Run a command with a fresh token in its environment'
complete -c imds -n "__fish_imds_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c imds -n "__fish_imds_using_subcommand token" -l expires-in -d 'Token lifetime in seconds (5-3600); an IAM token\'s lifetime is IAM\'s, so not with --iam' -r -f
complete -c imds -n "__fish_imds_using_subcommand token" -l profile-id -d 'Trusted profile id for --iam (default: the instance\'s default profile)' -r -f
complete -c imds -n "__fish_imds_using_subcommand token" -l profile-crn -d 'Trusted profile CRN for --iam (default: the instance\'s default profile)' -r -f
complete -c imds -n "__fish_imds_using_subcommand token" -l profile-name -d 'Trusted profile name for --iam (default: the instance\'s default profile)' -r -f
complete -c imds -n "__fish_imds_using_subcommand token" -l nonce -d 'Send TEXT as the token\'s nonce; the answer must carry it back (else exit 7)' -r -f
complete -c imds -n "__fish_imds_using_subcommand token" -l endpoint -d 'Base URL of the metadata service [env: IMDS_ENDPOINT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand token" -l cacert -d 'Extra CA certificate (PEM) to trust for HTTPS, besides the system\'s' -r -F
complete -c imds -n "__fish_imds_using_subcommand token" -l api-version -d 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]' -r -f
complete -c imds -n "__fish_imds_using_subcommand token" -s f -l field -d 'Print only this field (repeatable: tab-separated columns)' -r -f
complete -c imds -n "__fish_imds_using_subcommand token" -l shell -d 'Print NAME=\'value\' lines for `eval` in sh, dash, bash and zsh (repeatable)' -r -f
complete -c imds -n "__fish_imds_using_subcommand token" -l default -d 'What a --field or --shell path that matches nothing gives, instead of exit 6' -r -f
complete -c imds -n "__fish_imds_using_subcommand token" -s o -l output -d 'Write the output to FILE instead of stdout, all at once' -r -F
complete -c imds -n "__fish_imds_using_subcommand token" -l color -d 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)' -r -f -a "auto\t'Colour when stdout is a terminal, NO_COLOR is unset and TERM is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c imds -n "__fish_imds_using_subcommand token" -l timeout -d 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand token" -l wait -d 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand token" -l json -d 'Print the whole token response as JSON'
complete -c imds -n "__fish_imds_using_subcommand token" -l export -d 'Print `export IMDS_TOKEN=…` for `eval`'
complete -c imds -n "__fish_imds_using_subcommand token" -l claims -d 'Print the token\'s claims (its JWT payload) as JSON: decoded, NOT verified'
complete -c imds -n "__fish_imds_using_subcommand token" -l iam -d 'Exchange the identity token for an IAM token of a trusted profile'
complete -c imds -n "__fish_imds_using_subcommand token" -l refresh -d 'Keep -o FILE fresh until stopped (SIGTERM or SIGINT: exit 0, FILE left in place)'
complete -c imds -n "__fish_imds_using_subcommand token" -l secure -d 'Use the service\'s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
complete -c imds -n "__fish_imds_using_subcommand token" -s c -l compact -d 'Print JSON on one line'
complete -c imds -n "__fish_imds_using_subcommand token" -s 0 -l null -d 'End every picked value with NUL, raw: no newlines, no tabs between columns'
complete -c imds -n "__fish_imds_using_subcommand token" -s v -l verbose -d 'Print one line per HTTP attempt on stderr (tokens are redacted)'
complete -c imds -n "__fish_imds_using_subcommand token" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imds -n "__fish_imds_using_subcommand cert" -l key-out -d 'Write the new private key here (PKCS#8 PEM, mode 0600, all at once); required unless --csr is given' -r -F
complete -c imds -n "__fish_imds_using_subcommand cert" -l subject -d 'Subject of the request in openssl\'s -subj form, with C, ST, L, O and OU only' -r -f
complete -c imds -n "__fish_imds_using_subcommand cert" -l key-type -d 'Kind of key to make' -r -f -a "rsa-4096\t'RSA with a 4096-bit modulus, as IBM documents and uses'
ec-p256\t'ECDSA on NIST P-256: quicker to make; that the service takes it is not documented'"
complete -c imds -n "__fish_imds_using_subcommand cert" -l csr -d 'Send this PEM certificate signing request as it is, instead of making a key' -r -F
complete -c imds -n "__fish_imds_using_subcommand cert" -l expires-in -d 'Certificate lifetime in seconds (300-3600)' -r
complete -c imds -n "__fish_imds_using_subcommand cert" -l endpoint -d 'Base URL of the metadata service [env: IMDS_ENDPOINT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand cert" -l cacert -d 'Extra CA certificate (PEM) to trust for HTTPS, besides the system\'s' -r -F
complete -c imds -n "__fish_imds_using_subcommand cert" -l api-version -d 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]' -r -f
complete -c imds -n "__fish_imds_using_subcommand cert" -s f -l field -d 'Print only this field (repeatable: tab-separated columns)' -r -f
complete -c imds -n "__fish_imds_using_subcommand cert" -l shell -d 'Print NAME=\'value\' lines for `eval` in sh, dash, bash and zsh (repeatable)' -r -f
complete -c imds -n "__fish_imds_using_subcommand cert" -l default -d 'What a --field or --shell path that matches nothing gives, instead of exit 6' -r -f
complete -c imds -n "__fish_imds_using_subcommand cert" -s o -l output -d 'Write the output to FILE instead of stdout, all at once' -r -F
complete -c imds -n "__fish_imds_using_subcommand cert" -l color -d 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)' -r -f -a "auto\t'Colour when stdout is a terminal, NO_COLOR is unset and TERM is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c imds -n "__fish_imds_using_subcommand cert" -l timeout -d 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand cert" -l wait -d 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand cert" -l force -d 'Replace an existing --key-out file'
complete -c imds -n "__fish_imds_using_subcommand cert" -l json -d 'Print the whole response as JSON'
complete -c imds -n "__fish_imds_using_subcommand cert" -l secure -d 'Use the service\'s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
complete -c imds -n "__fish_imds_using_subcommand cert" -s c -l compact -d 'Print JSON on one line'
complete -c imds -n "__fish_imds_using_subcommand cert" -s 0 -l null -d 'End every picked value with NUL, raw: no newlines, no tabs between columns'
complete -c imds -n "__fish_imds_using_subcommand cert" -s v -l verbose -d 'Print one line per HTTP attempt on stderr (tokens are redacted)'
complete -c imds -n "__fish_imds_using_subcommand cert" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imds -n "__fish_imds_using_subcommand instance" -l endpoint -d 'Base URL of the metadata service [env: IMDS_ENDPOINT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand instance" -l cacert -d 'Extra CA certificate (PEM) to trust for HTTPS, besides the system\'s' -r -F
complete -c imds -n "__fish_imds_using_subcommand instance" -l api-version -d 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]' -r -f
complete -c imds -n "__fish_imds_using_subcommand instance" -s f -l field -d 'Print only this field (repeatable: tab-separated columns)' -r -f
complete -c imds -n "__fish_imds_using_subcommand instance" -l shell -d 'Print NAME=\'value\' lines for `eval` in sh, dash, bash and zsh (repeatable)' -r -f
complete -c imds -n "__fish_imds_using_subcommand instance" -l default -d 'What a --field or --shell path that matches nothing gives, instead of exit 6' -r -f
complete -c imds -n "__fish_imds_using_subcommand instance" -s o -l output -d 'Write the output to FILE instead of stdout, all at once' -r -F
complete -c imds -n "__fish_imds_using_subcommand instance" -l color -d 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)' -r -f -a "auto\t'Colour when stdout is a terminal, NO_COLOR is unset and TERM is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c imds -n "__fish_imds_using_subcommand instance" -l timeout -d 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand instance" -l wait -d 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand instance" -l secure -d 'Use the service\'s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
complete -c imds -n "__fish_imds_using_subcommand instance" -s c -l compact -d 'Print JSON on one line'
complete -c imds -n "__fish_imds_using_subcommand instance" -s 0 -l null -d 'End every picked value with NUL, raw: no newlines, no tabs between columns'
complete -c imds -n "__fish_imds_using_subcommand instance" -s v -l verbose -d 'Print one line per HTTP attempt on stderr (tokens are redacted)'
complete -c imds -n "__fish_imds_using_subcommand instance" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imds -n "__fish_imds_using_subcommand init" -l endpoint -d 'Base URL of the metadata service [env: IMDS_ENDPOINT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand init" -l cacert -d 'Extra CA certificate (PEM) to trust for HTTPS, besides the system\'s' -r -F
complete -c imds -n "__fish_imds_using_subcommand init" -l api-version -d 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]' -r -f
complete -c imds -n "__fish_imds_using_subcommand init" -s f -l field -d 'Print only this field (repeatable: tab-separated columns)' -r -f
complete -c imds -n "__fish_imds_using_subcommand init" -l shell -d 'Print NAME=\'value\' lines for `eval` in sh, dash, bash and zsh (repeatable)' -r -f
complete -c imds -n "__fish_imds_using_subcommand init" -l default -d 'What a --field or --shell path that matches nothing gives, instead of exit 6' -r -f
complete -c imds -n "__fish_imds_using_subcommand init" -s o -l output -d 'Write the output to FILE instead of stdout, all at once' -r -F
complete -c imds -n "__fish_imds_using_subcommand init" -l color -d 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)' -r -f -a "auto\t'Colour when stdout is a terminal, NO_COLOR is unset and TERM is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c imds -n "__fish_imds_using_subcommand init" -l timeout -d 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand init" -l wait -d 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand init" -l user-data -d 'Print the user data byte-exact, with nothing added (nothing when there is none)'
complete -c imds -n "__fish_imds_using_subcommand init" -l secure -d 'Use the service\'s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
complete -c imds -n "__fish_imds_using_subcommand init" -s c -l compact -d 'Print JSON on one line'
complete -c imds -n "__fish_imds_using_subcommand init" -s 0 -l null -d 'End every picked value with NUL, raw: no newlines, no tabs between columns'
complete -c imds -n "__fish_imds_using_subcommand init" -s v -l verbose -d 'Print one line per HTTP attempt on stderr (tokens are redacted)'
complete -c imds -n "__fish_imds_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imds -n "__fish_imds_using_subcommand keys" -l authorized-keys -d 'Add the keys to this authorized_keys file, unless there already' -r -F
complete -c imds -n "__fish_imds_using_subcommand keys" -l endpoint -d 'Base URL of the metadata service [env: IMDS_ENDPOINT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand keys" -l cacert -d 'Extra CA certificate (PEM) to trust for HTTPS, besides the system\'s' -r -F
complete -c imds -n "__fish_imds_using_subcommand keys" -l api-version -d 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]' -r -f
complete -c imds -n "__fish_imds_using_subcommand keys" -s f -l field -d 'Print only this field (repeatable: tab-separated columns)' -r -f
complete -c imds -n "__fish_imds_using_subcommand keys" -l shell -d 'Print NAME=\'value\' lines for `eval` in sh, dash, bash and zsh (repeatable)' -r -f
complete -c imds -n "__fish_imds_using_subcommand keys" -l default -d 'What a --field or --shell path that matches nothing gives, instead of exit 6' -r -f
complete -c imds -n "__fish_imds_using_subcommand keys" -s o -l output -d 'Write the output to FILE instead of stdout, all at once' -r -F
complete -c imds -n "__fish_imds_using_subcommand keys" -l color -d 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)' -r -f -a "auto\t'Colour when stdout is a terminal, NO_COLOR is unset and TERM is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c imds -n "__fish_imds_using_subcommand keys" -l timeout -d 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand keys" -l wait -d 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand keys" -l secure -d 'Use the service\'s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
complete -c imds -n "__fish_imds_using_subcommand keys" -s c -l compact -d 'Print JSON on one line'
complete -c imds -n "__fish_imds_using_subcommand keys" -s 0 -l null -d 'End every picked value with NUL, raw: no newlines, no tabs between columns'
complete -c imds -n "__fish_imds_using_subcommand keys" -s v -l verbose -d 'Print one line per HTTP attempt on stderr (tokens are redacted)'
complete -c imds -n "__fish_imds_using_subcommand keys" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imds -n "__fish_imds_using_subcommand placement-groups" -l endpoint -d 'Base URL of the metadata service [env: IMDS_ENDPOINT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand placement-groups" -l cacert -d 'Extra CA certificate (PEM) to trust for HTTPS, besides the system\'s' -r -F
complete -c imds -n "__fish_imds_using_subcommand placement-groups" -l api-version -d 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]' -r -f
complete -c imds -n "__fish_imds_using_subcommand placement-groups" -s f -l field -d 'Print only this field (repeatable: tab-separated columns)' -r -f
complete -c imds -n "__fish_imds_using_subcommand placement-groups" -l shell -d 'Print NAME=\'value\' lines for `eval` in sh, dash, bash and zsh (repeatable)' -r -f
complete -c imds -n "__fish_imds_using_subcommand placement-groups" -l default -d 'What a --field or --shell path that matches nothing gives, instead of exit 6' -r -f
complete -c imds -n "__fish_imds_using_subcommand placement-groups" -s o -l output -d 'Write the output to FILE instead of stdout, all at once' -r -F
complete -c imds -n "__fish_imds_using_subcommand placement-groups" -l color -d 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)' -r -f -a "auto\t'Colour when stdout is a terminal, NO_COLOR is unset and TERM is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c imds -n "__fish_imds_using_subcommand placement-groups" -l timeout -d 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand placement-groups" -l wait -d 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand placement-groups" -l secure -d 'Use the service\'s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
complete -c imds -n "__fish_imds_using_subcommand placement-groups" -s c -l compact -d 'Print JSON on one line'
complete -c imds -n "__fish_imds_using_subcommand placement-groups" -s 0 -l null -d 'End every picked value with NUL, raw: no newlines, no tabs between columns'
complete -c imds -n "__fish_imds_using_subcommand placement-groups" -s v -l verbose -d 'Print one line per HTTP attempt on stderr (tokens are redacted)'
complete -c imds -n "__fish_imds_using_subcommand placement-groups" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imds -n "__fish_imds_using_subcommand nics" -l endpoint -d 'Base URL of the metadata service [env: IMDS_ENDPOINT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand nics" -l cacert -d 'Extra CA certificate (PEM) to trust for HTTPS, besides the system\'s' -r -F
complete -c imds -n "__fish_imds_using_subcommand nics" -l api-version -d 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]' -r -f
complete -c imds -n "__fish_imds_using_subcommand nics" -s f -l field -d 'Print only this field (repeatable: tab-separated columns)' -r -f
complete -c imds -n "__fish_imds_using_subcommand nics" -l shell -d 'Print NAME=\'value\' lines for `eval` in sh, dash, bash and zsh (repeatable)' -r -f
complete -c imds -n "__fish_imds_using_subcommand nics" -l default -d 'What a --field or --shell path that matches nothing gives, instead of exit 6' -r -f
complete -c imds -n "__fish_imds_using_subcommand nics" -s o -l output -d 'Write the output to FILE instead of stdout, all at once' -r -F
complete -c imds -n "__fish_imds_using_subcommand nics" -l color -d 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)' -r -f -a "auto\t'Colour when stdout is a terminal, NO_COLOR is unset and TERM is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c imds -n "__fish_imds_using_subcommand nics" -l timeout -d 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand nics" -l wait -d 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand nics" -l secure -d 'Use the service\'s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
complete -c imds -n "__fish_imds_using_subcommand nics" -s c -l compact -d 'Print JSON on one line'
complete -c imds -n "__fish_imds_using_subcommand nics" -s 0 -l null -d 'End every picked value with NUL, raw: no newlines, no tabs between columns'
complete -c imds -n "__fish_imds_using_subcommand nics" -s v -l verbose -d 'Print one line per HTTP attempt on stderr (tokens are redacted)'
complete -c imds -n "__fish_imds_using_subcommand nics" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imds -n "__fish_imds_using_subcommand volumes" -l endpoint -d 'Base URL of the metadata service [env: IMDS_ENDPOINT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand volumes" -l cacert -d 'Extra CA certificate (PEM) to trust for HTTPS, besides the system\'s' -r -F
complete -c imds -n "__fish_imds_using_subcommand volumes" -l api-version -d 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]' -r -f
complete -c imds -n "__fish_imds_using_subcommand volumes" -s f -l field -d 'Print only this field (repeatable: tab-separated columns)' -r -f
complete -c imds -n "__fish_imds_using_subcommand volumes" -l shell -d 'Print NAME=\'value\' lines for `eval` in sh, dash, bash and zsh (repeatable)' -r -f
complete -c imds -n "__fish_imds_using_subcommand volumes" -l default -d 'What a --field or --shell path that matches nothing gives, instead of exit 6' -r -f
complete -c imds -n "__fish_imds_using_subcommand volumes" -s o -l output -d 'Write the output to FILE instead of stdout, all at once' -r -F
complete -c imds -n "__fish_imds_using_subcommand volumes" -l color -d 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)' -r -f -a "auto\t'Colour when stdout is a terminal, NO_COLOR is unset and TERM is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c imds -n "__fish_imds_using_subcommand volumes" -l timeout -d 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand volumes" -l wait -d 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand volumes" -l secure -d 'Use the service\'s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
complete -c imds -n "__fish_imds_using_subcommand volumes" -s c -l compact -d 'Print JSON on one line'
complete -c imds -n "__fish_imds_using_subcommand volumes" -s 0 -l null -d 'End every picked value with NUL, raw: no newlines, no tabs between columns'
complete -c imds -n "__fish_imds_using_subcommand volumes" -s v -l verbose -d 'Print one line per HTTP attempt on stderr (tokens are redacted)'
complete -c imds -n "__fish_imds_using_subcommand volumes" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imds -n "__fish_imds_using_subcommand software" -l endpoint -d 'Base URL of the metadata service [env: IMDS_ENDPOINT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand software" -l cacert -d 'Extra CA certificate (PEM) to trust for HTTPS, besides the system\'s' -r -F
complete -c imds -n "__fish_imds_using_subcommand software" -l api-version -d 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]' -r -f
complete -c imds -n "__fish_imds_using_subcommand software" -s f -l field -d 'Print only this field (repeatable: tab-separated columns)' -r -f
complete -c imds -n "__fish_imds_using_subcommand software" -l shell -d 'Print NAME=\'value\' lines for `eval` in sh, dash, bash and zsh (repeatable)' -r -f
complete -c imds -n "__fish_imds_using_subcommand software" -l default -d 'What a --field or --shell path that matches nothing gives, instead of exit 6' -r -f
complete -c imds -n "__fish_imds_using_subcommand software" -s o -l output -d 'Write the output to FILE instead of stdout, all at once' -r -F
complete -c imds -n "__fish_imds_using_subcommand software" -l color -d 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)' -r -f -a "auto\t'Colour when stdout is a terminal, NO_COLOR is unset and TERM is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c imds -n "__fish_imds_using_subcommand software" -l timeout -d 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand software" -l wait -d 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand software" -l secure -d 'Use the service\'s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
complete -c imds -n "__fish_imds_using_subcommand software" -s c -l compact -d 'Print JSON on one line'
complete -c imds -n "__fish_imds_using_subcommand software" -s 0 -l null -d 'End every picked value with NUL, raw: no newlines, no tabs between columns'
complete -c imds -n "__fish_imds_using_subcommand software" -s v -l verbose -d 'Print one line per HTTP attempt on stderr (tokens are redacted)'
complete -c imds -n "__fish_imds_using_subcommand software" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imds -n "__fish_imds_using_subcommand network-attachments" -l endpoint -d 'Base URL of the metadata service [env: IMDS_ENDPOINT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand network-attachments" -l cacert -d 'Extra CA certificate (PEM) to trust for HTTPS, besides the system\'s' -r -F
complete -c imds -n "__fish_imds_using_subcommand network-attachments" -l api-version -d 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]' -r -f
complete -c imds -n "__fish_imds_using_subcommand network-attachments" -s f -l field -d 'Print only this field (repeatable: tab-separated columns)' -r -f
complete -c imds -n "__fish_imds_using_subcommand network-attachments" -l shell -d 'Print NAME=\'value\' lines for `eval` in sh, dash, bash and zsh (repeatable)' -r -f
complete -c imds -n "__fish_imds_using_subcommand network-attachments" -l default -d 'What a --field or --shell path that matches nothing gives, instead of exit 6' -r -f
complete -c imds -n "__fish_imds_using_subcommand network-attachments" -s o -l output -d 'Write the output to FILE instead of stdout, all at once' -r -F
complete -c imds -n "__fish_imds_using_subcommand network-attachments" -l color -d 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)' -r -f -a "auto\t'Colour when stdout is a terminal, NO_COLOR is unset and TERM is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c imds -n "__fish_imds_using_subcommand network-attachments" -l timeout -d 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand network-attachments" -l wait -d 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand network-attachments" -l secure -d 'Use the service\'s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
complete -c imds -n "__fish_imds_using_subcommand network-attachments" -s c -l compact -d 'Print JSON on one line'
complete -c imds -n "__fish_imds_using_subcommand network-attachments" -s 0 -l null -d 'End every picked value with NUL, raw: no newlines, no tabs between columns'
complete -c imds -n "__fish_imds_using_subcommand network-attachments" -s v -l verbose -d 'Print one line per HTTP attempt on stderr (tokens are redacted)'
complete -c imds -n "__fish_imds_using_subcommand network-attachments" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imds -n "__fish_imds_using_subcommand cluster-network-attachments" -l endpoint -d 'Base URL of the metadata service [env: IMDS_ENDPOINT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand cluster-network-attachments" -l cacert -d 'Extra CA certificate (PEM) to trust for HTTPS, besides the system\'s' -r -F
complete -c imds -n "__fish_imds_using_subcommand cluster-network-attachments" -l api-version -d 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]' -r -f
complete -c imds -n "__fish_imds_using_subcommand cluster-network-attachments" -s f -l field -d 'Print only this field (repeatable: tab-separated columns)' -r -f
complete -c imds -n "__fish_imds_using_subcommand cluster-network-attachments" -l shell -d 'Print NAME=\'value\' lines for `eval` in sh, dash, bash and zsh (repeatable)' -r -f
complete -c imds -n "__fish_imds_using_subcommand cluster-network-attachments" -l default -d 'What a --field or --shell path that matches nothing gives, instead of exit 6' -r -f
complete -c imds -n "__fish_imds_using_subcommand cluster-network-attachments" -s o -l output -d 'Write the output to FILE instead of stdout, all at once' -r -F
complete -c imds -n "__fish_imds_using_subcommand cluster-network-attachments" -l color -d 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)' -r -f -a "auto\t'Colour when stdout is a terminal, NO_COLOR is unset and TERM is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c imds -n "__fish_imds_using_subcommand cluster-network-attachments" -l timeout -d 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand cluster-network-attachments" -l wait -d 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand cluster-network-attachments" -l secure -d 'Use the service\'s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
complete -c imds -n "__fish_imds_using_subcommand cluster-network-attachments" -s c -l compact -d 'Print JSON on one line'
complete -c imds -n "__fish_imds_using_subcommand cluster-network-attachments" -s 0 -l null -d 'End every picked value with NUL, raw: no newlines, no tabs between columns'
complete -c imds -n "__fish_imds_using_subcommand cluster-network-attachments" -s v -l verbose -d 'Print one line per HTTP attempt on stderr (tokens are redacted)'
complete -c imds -n "__fish_imds_using_subcommand cluster-network-attachments" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imds -n "__fish_imds_using_subcommand vnis" -l endpoint -d 'Base URL of the metadata service [env: IMDS_ENDPOINT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand vnis" -l cacert -d 'Extra CA certificate (PEM) to trust for HTTPS, besides the system\'s' -r -F
complete -c imds -n "__fish_imds_using_subcommand vnis" -l api-version -d 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]' -r -f
complete -c imds -n "__fish_imds_using_subcommand vnis" -s f -l field -d 'Print only this field (repeatable: tab-separated columns)' -r -f
complete -c imds -n "__fish_imds_using_subcommand vnis" -l shell -d 'Print NAME=\'value\' lines for `eval` in sh, dash, bash and zsh (repeatable)' -r -f
complete -c imds -n "__fish_imds_using_subcommand vnis" -l default -d 'What a --field or --shell path that matches nothing gives, instead of exit 6' -r -f
complete -c imds -n "__fish_imds_using_subcommand vnis" -s o -l output -d 'Write the output to FILE instead of stdout, all at once' -r -F
complete -c imds -n "__fish_imds_using_subcommand vnis" -l color -d 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)' -r -f -a "auto\t'Colour when stdout is a terminal, NO_COLOR is unset and TERM is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c imds -n "__fish_imds_using_subcommand vnis" -l timeout -d 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand vnis" -l wait -d 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand vnis" -l secure -d 'Use the service\'s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
complete -c imds -n "__fish_imds_using_subcommand vnis" -s c -l compact -d 'Print JSON on one line'
complete -c imds -n "__fish_imds_using_subcommand vnis" -s 0 -l null -d 'End every picked value with NUL, raw: no newlines, no tabs between columns'
complete -c imds -n "__fish_imds_using_subcommand vnis" -s v -l verbose -d 'Print one line per HTTP attempt on stderr (tokens are redacted)'
complete -c imds -n "__fish_imds_using_subcommand vnis" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imds -n "__fish_imds_using_subcommand disks" -l root -d 'Read sys/block and dev/disk/by-id under DIR instead of / (to test with a made-up tree)' -r -f -a "(__fish_complete_directories)"
complete -c imds -n "__fish_imds_using_subcommand disks" -l endpoint -d 'Base URL of the metadata service [env: IMDS_ENDPOINT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand disks" -l cacert -d 'Extra CA certificate (PEM) to trust for HTTPS, besides the system\'s' -r -F
complete -c imds -n "__fish_imds_using_subcommand disks" -l api-version -d 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]' -r -f
complete -c imds -n "__fish_imds_using_subcommand disks" -s f -l field -d 'Print only this field (repeatable: tab-separated columns)' -r -f
complete -c imds -n "__fish_imds_using_subcommand disks" -l shell -d 'Print NAME=\'value\' lines for `eval` in sh, dash, bash and zsh (repeatable)' -r -f
complete -c imds -n "__fish_imds_using_subcommand disks" -l default -d 'What a --field or --shell path that matches nothing gives, instead of exit 6' -r -f
complete -c imds -n "__fish_imds_using_subcommand disks" -s o -l output -d 'Write the output to FILE instead of stdout, all at once' -r -F
complete -c imds -n "__fish_imds_using_subcommand disks" -l color -d 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)' -r -f -a "auto\t'Colour when stdout is a terminal, NO_COLOR is unset and TERM is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c imds -n "__fish_imds_using_subcommand disks" -l timeout -d 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand disks" -l wait -d 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand disks" -l secure -d 'Use the service\'s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
complete -c imds -n "__fish_imds_using_subcommand disks" -s c -l compact -d 'Print JSON on one line'
complete -c imds -n "__fish_imds_using_subcommand disks" -s 0 -l null -d 'End every picked value with NUL, raw: no newlines, no tabs between columns'
complete -c imds -n "__fish_imds_using_subcommand disks" -s v -l verbose -d 'Print one line per HTTP attempt on stderr (tokens are redacted)'
complete -c imds -n "__fish_imds_using_subcommand disks" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imds -n "__fish_imds_using_subcommand get" -l endpoint -d 'Base URL of the metadata service [env: IMDS_ENDPOINT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand get" -l cacert -d 'Extra CA certificate (PEM) to trust for HTTPS, besides the system\'s' -r -F
complete -c imds -n "__fish_imds_using_subcommand get" -l api-version -d 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]' -r -f
complete -c imds -n "__fish_imds_using_subcommand get" -s f -l field -d 'Print only this field (repeatable: tab-separated columns)' -r -f
complete -c imds -n "__fish_imds_using_subcommand get" -l shell -d 'Print NAME=\'value\' lines for `eval` in sh, dash, bash and zsh (repeatable)' -r -f
complete -c imds -n "__fish_imds_using_subcommand get" -l default -d 'What a --field or --shell path that matches nothing gives, instead of exit 6' -r -f
complete -c imds -n "__fish_imds_using_subcommand get" -s o -l output -d 'Write the output to FILE instead of stdout, all at once' -r -F
complete -c imds -n "__fish_imds_using_subcommand get" -l color -d 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)' -r -f -a "auto\t'Colour when stdout is a terminal, NO_COLOR is unset and TERM is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c imds -n "__fish_imds_using_subcommand get" -l timeout -d 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand get" -l wait -d 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand get" -l secure -d 'Use the service\'s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
complete -c imds -n "__fish_imds_using_subcommand get" -s c -l compact -d 'Print JSON on one line'
complete -c imds -n "__fish_imds_using_subcommand get" -s 0 -l null -d 'End every picked value with NUL, raw: no newlines, no tabs between columns'
complete -c imds -n "__fish_imds_using_subcommand get" -s v -l verbose -d 'Print one line per HTTP attempt on stderr (tokens are redacted)'
complete -c imds -n "__fish_imds_using_subcommand get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imds -n "__fish_imds_using_subcommand snapshot" -l endpoint -d 'Base URL of the metadata service [env: IMDS_ENDPOINT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand snapshot" -l cacert -d 'Extra CA certificate (PEM) to trust for HTTPS, besides the system\'s' -r -F
complete -c imds -n "__fish_imds_using_subcommand snapshot" -l api-version -d 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]' -r -f
complete -c imds -n "__fish_imds_using_subcommand snapshot" -s f -l field -d 'Print only this field (repeatable: tab-separated columns)' -r -f
complete -c imds -n "__fish_imds_using_subcommand snapshot" -l shell -d 'Print NAME=\'value\' lines for `eval` in sh, dash, bash and zsh (repeatable)' -r -f
complete -c imds -n "__fish_imds_using_subcommand snapshot" -l default -d 'What a --field or --shell path that matches nothing gives, instead of exit 6' -r -f
complete -c imds -n "__fish_imds_using_subcommand snapshot" -s o -l output -d 'Write the output to FILE instead of stdout, all at once' -r -F
complete -c imds -n "__fish_imds_using_subcommand snapshot" -l color -d 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)' -r -f -a "auto\t'Colour when stdout is a terminal, NO_COLOR is unset and TERM is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c imds -n "__fish_imds_using_subcommand snapshot" -l timeout -d 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand snapshot" -l wait -d 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand snapshot" -l redact -d 'Leave out the user data, the administrator password and any licence keys'
complete -c imds -n "__fish_imds_using_subcommand snapshot" -l secure -d 'Use the service\'s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
complete -c imds -n "__fish_imds_using_subcommand snapshot" -s c -l compact -d 'Print JSON on one line'
complete -c imds -n "__fish_imds_using_subcommand snapshot" -s 0 -l null -d 'End every picked value with NUL, raw: no newlines, no tabs between columns'
complete -c imds -n "__fish_imds_using_subcommand snapshot" -s v -l verbose -d 'Print one line per HTTP attempt on stderr (tokens are redacted)'
complete -c imds -n "__fish_imds_using_subcommand snapshot" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imds -n "__fish_imds_using_subcommand watch" -l interval -d 'Time between polls, with 10% jitter either way (at least 1s)' -r -f
complete -c imds -n "__fish_imds_using_subcommand watch" -l until -d 'End (exit 0) after printing the first observation where COND holds' -r -f
complete -c imds -n "__fish_imds_using_subcommand watch" -l count -d 'End (exit 0) after N observations printed' -r -f
complete -c imds -n "__fish_imds_using_subcommand watch" -l max-time -d 'End after DURATION: exit 0, or with --until not met, exit 8' -r -f
complete -c imds -n "__fish_imds_using_subcommand watch" -l max-failures -d 'End after N failed polls in a row, with the last one\'s exit status' -r -f
complete -c imds -n "__fish_imds_using_subcommand watch" -l exec -d 'Run `sh -c CMD` for each observation printed, with the output on its stdin' -r -f -a "(__fish_complete_command)"
complete -c imds -n "__fish_imds_using_subcommand watch" -l endpoint -d 'Base URL of the metadata service [env: IMDS_ENDPOINT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand watch" -l cacert -d 'Extra CA certificate (PEM) to trust for HTTPS, besides the system\'s' -r -F
complete -c imds -n "__fish_imds_using_subcommand watch" -l api-version -d 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]' -r -f
complete -c imds -n "__fish_imds_using_subcommand watch" -s f -l field -d 'Print only this field (repeatable: tab-separated columns)' -r -f
complete -c imds -n "__fish_imds_using_subcommand watch" -l shell -d 'Print NAME=\'value\' lines for `eval` in sh, dash, bash and zsh (repeatable)' -r -f
complete -c imds -n "__fish_imds_using_subcommand watch" -l default -d 'What a --field or --shell path that matches nothing gives, instead of exit 6' -r -f
complete -c imds -n "__fish_imds_using_subcommand watch" -s o -l output -d 'Write the output to FILE instead of stdout, all at once' -r -F
complete -c imds -n "__fish_imds_using_subcommand watch" -l color -d 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)' -r -f -a "auto\t'Colour when stdout is a terminal, NO_COLOR is unset and TERM is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c imds -n "__fish_imds_using_subcommand watch" -l timeout -d 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand watch" -l wait -d 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand watch" -l secure -d 'Use the service\'s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
complete -c imds -n "__fish_imds_using_subcommand watch" -s c -l compact -d 'Print JSON on one line'
complete -c imds -n "__fish_imds_using_subcommand watch" -s 0 -l null -d 'End every picked value with NUL, raw: no newlines, no tabs between columns'
complete -c imds -n "__fish_imds_using_subcommand watch" -s v -l verbose -d 'Print one line per HTTP attempt on stderr (tokens are redacted)'
complete -c imds -n "__fish_imds_using_subcommand watch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imds -n "__fish_imds_using_subcommand doctor" -l endpoint -d 'Base URL of the metadata service [env: IMDS_ENDPOINT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand doctor" -l cacert -d 'Extra CA certificate (PEM) to trust for HTTPS, besides the system\'s' -r -F
complete -c imds -n "__fish_imds_using_subcommand doctor" -l api-version -d 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]' -r -f
complete -c imds -n "__fish_imds_using_subcommand doctor" -s f -l field -d 'Print only this field (repeatable: tab-separated columns)' -r -f
complete -c imds -n "__fish_imds_using_subcommand doctor" -l shell -d 'Print NAME=\'value\' lines for `eval` in sh, dash, bash and zsh (repeatable)' -r -f
complete -c imds -n "__fish_imds_using_subcommand doctor" -l default -d 'What a --field or --shell path that matches nothing gives, instead of exit 6' -r -f
complete -c imds -n "__fish_imds_using_subcommand doctor" -s o -l output -d 'Write the output to FILE instead of stdout, all at once' -r -F
complete -c imds -n "__fish_imds_using_subcommand doctor" -l color -d 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)' -r -f -a "auto\t'Colour when stdout is a terminal, NO_COLOR is unset and TERM is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c imds -n "__fish_imds_using_subcommand doctor" -l timeout -d 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand doctor" -l wait -d 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand doctor" -l secure -d 'Use the service\'s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
complete -c imds -n "__fish_imds_using_subcommand doctor" -s c -l compact -d 'Print JSON on one line'
complete -c imds -n "__fish_imds_using_subcommand doctor" -s 0 -l null -d 'End every picked value with NUL, raw: no newlines, no tabs between columns'
complete -c imds -n "__fish_imds_using_subcommand doctor" -s v -l verbose -d 'Print one line per HTTP attempt on stderr (tokens are redacted)'
complete -c imds -n "__fish_imds_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imds -n "__fish_imds_using_subcommand exec" -l expires-in -d 'Identity token lifetime in seconds (5-3600)' -r -f
complete -c imds -n "__fish_imds_using_subcommand exec" -l profile-id -d 'Trusted profile id for --iam (default: the instance\'s default profile)' -r -f
complete -c imds -n "__fish_imds_using_subcommand exec" -l profile-crn -d 'Trusted profile CRN for --iam (default: the instance\'s default profile)' -r -f
complete -c imds -n "__fish_imds_using_subcommand exec" -l profile-name -d 'Trusted profile name for --iam (default: the instance\'s default profile)' -r -f
complete -c imds -n "__fish_imds_using_subcommand exec" -l endpoint -d 'Base URL of the metadata service [env: IMDS_ENDPOINT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand exec" -l cacert -d 'Extra CA certificate (PEM) to trust for HTTPS, besides the system\'s' -r -F
complete -c imds -n "__fish_imds_using_subcommand exec" -l api-version -d 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]' -r -f
complete -c imds -n "__fish_imds_using_subcommand exec" -s f -l field -d 'Print only this field (repeatable: tab-separated columns)' -r -f
complete -c imds -n "__fish_imds_using_subcommand exec" -l shell -d 'Print NAME=\'value\' lines for `eval` in sh, dash, bash and zsh (repeatable)' -r -f
complete -c imds -n "__fish_imds_using_subcommand exec" -l default -d 'What a --field or --shell path that matches nothing gives, instead of exit 6' -r -f
complete -c imds -n "__fish_imds_using_subcommand exec" -s o -l output -d 'Write the output to FILE instead of stdout, all at once' -r -F
complete -c imds -n "__fish_imds_using_subcommand exec" -l color -d 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)' -r -f -a "auto\t'Colour when stdout is a terminal, NO_COLOR is unset and TERM is not `dumb`'
always\t'Always colour'
never\t'Never colour'"
complete -c imds -n "__fish_imds_using_subcommand exec" -l timeout -d 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand exec" -l wait -d 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]' -r -f
complete -c imds -n "__fish_imds_using_subcommand exec" -l iam -d 'Also put an IAM token of a trusted profile in IC_IAM_TOKEN and IBMCLOUD_IAM_TOKEN'
complete -c imds -n "__fish_imds_using_subcommand exec" -l secure -d 'Use the service\'s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
complete -c imds -n "__fish_imds_using_subcommand exec" -s c -l compact -d 'Print JSON on one line'
complete -c imds -n "__fish_imds_using_subcommand exec" -s 0 -l null -d 'End every picked value with NUL, raw: no newlines, no tabs between columns'
complete -c imds -n "__fish_imds_using_subcommand exec" -s v -l verbose -d 'Print one line per HTTP attempt on stderr (tokens are redacted)'
complete -c imds -n "__fish_imds_using_subcommand exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imds -n "__fish_imds_using_subcommand help; and not __fish_seen_subcommand_from token cert instance init keys placement-groups nics volumes software network-attachments cluster-network-attachments vnis disks get snapshot watch doctor exec help" -f -a "token" -d 'Mint an identity access token and print it'
complete -c imds -n "__fish_imds_using_subcommand help; and not __fish_seen_subcommand_from token cert instance init keys placement-groups nics volumes software network-attachments cluster-network-attachments vnis disks get snapshot watch doctor exec help" -f -a "cert" -d 'Get an instance identity certificate: a new key, a CSR, the signed chain'
complete -c imds -n "__fish_imds_using_subcommand help; and not __fish_seen_subcommand_from token cert instance init keys placement-groups nics volumes software network-attachments cluster-network-attachments vnis disks get snapshot watch doctor exec help" -f -a "instance" -d 'Print the instance document'
complete -c imds -n "__fish_imds_using_subcommand help; and not __fish_seen_subcommand_from token cert instance init keys placement-groups nics volumes software network-attachments cluster-network-attachments vnis disks get snapshot watch doctor exec help" -f -a "init" -d 'Print the initialization data (keys, user_data, default_trusted_profile)'
complete -c imds -n "__fish_imds_using_subcommand help; and not __fish_seen_subcommand_from token cert instance init keys placement-groups nics volumes software network-attachments cluster-network-attachments vnis disks get snapshot watch doctor exec help" -f -a "keys" -d 'List the SSH keys of the instance, or show one'
complete -c imds -n "__fish_imds_using_subcommand help; and not __fish_seen_subcommand_from token cert instance init keys placement-groups nics volumes software network-attachments cluster-network-attachments vnis disks get snapshot watch doctor exec help" -f -a "placement-groups" -d 'List the placement groups, or show one'
complete -c imds -n "__fish_imds_using_subcommand help; and not __fish_seen_subcommand_from token cert instance init keys placement-groups nics volumes software network-attachments cluster-network-attachments vnis disks get snapshot watch doctor exec help" -f -a "nics" -d 'List the network interfaces, or show one'
complete -c imds -n "__fish_imds_using_subcommand help; and not __fish_seen_subcommand_from token cert instance init keys placement-groups nics volumes software network-attachments cluster-network-attachments vnis disks get snapshot watch doctor exec help" -f -a "volumes" -d 'List the volume attachments, or show one'
complete -c imds -n "__fish_imds_using_subcommand help; and not __fish_seen_subcommand_from token cert instance init keys placement-groups nics volumes software network-attachments cluster-network-attachments vnis disks get snapshot watch doctor exec help" -f -a "software" -d 'List the software attachments (vendor software and its licence keys), or show one'
complete -c imds -n "__fish_imds_using_subcommand help; and not __fish_seen_subcommand_from token cert instance init keys placement-groups nics volumes software network-attachments cluster-network-attachments vnis disks get snapshot watch doctor exec help" -f -a "network-attachments" -d 'List the network attachments (each with its virtual network interface), or show one'
complete -c imds -n "__fish_imds_using_subcommand help; and not __fish_seen_subcommand_from token cert instance init keys placement-groups nics volumes software network-attachments cluster-network-attachments vnis disks get snapshot watch doctor exec help" -f -a "cluster-network-attachments" -d 'List the cluster network attachments, or show one'
complete -c imds -n "__fish_imds_using_subcommand help; and not __fish_seen_subcommand_from token cert instance init keys placement-groups nics volumes software network-attachments cluster-network-attachments vnis disks get snapshot watch doctor exec help" -f -a "vnis" -d 'List the virtual network interfaces, or show one'
complete -c imds -n "__fish_imds_using_subcommand help; and not __fish_seen_subcommand_from token cert instance init keys placement-groups nics volumes software network-attachments cluster-network-attachments vnis disks get snapshot watch doctor exec help" -f -a "disks" -d 'List the disks and the local block device each one is'
complete -c imds -n "__fish_imds_using_subcommand help; and not __fish_seen_subcommand_from token cert instance init keys placement-groups nics volumes software network-attachments cluster-network-attachments vnis disks get snapshot watch doctor exec help" -f -a "get" -d 'GET any path under /metadata/v1/ and print the document (all pages)'
complete -c imds -n "__fish_imds_using_subcommand help; and not __fish_seen_subcommand_from token cert instance init keys placement-groups nics volumes software network-attachments cluster-network-attachments vnis disks get snapshot watch doctor exec help" -f -a "snapshot" -d 'Print everything the service tells this instance, as an imds-mock fixture'
complete -c imds -n "__fish_imds_using_subcommand help; and not __fish_seen_subcommand_from token cert instance init keys placement-groups nics volumes software network-attachments cluster-network-attachments vnis disks get snapshot watch doctor exec help" -f -a "watch" -d 'Run a read command again and again; print its output at the start and when it changes'
complete -c imds -n "__fish_imds_using_subcommand help; and not __fish_seen_subcommand_from token cert instance init keys placement-groups nics volumes software network-attachments cluster-network-attachments vnis disks get snapshot watch doctor exec help" -f -a "doctor" -d 'Diagnose access to the metadata service and print the fix'
complete -c imds -n "__fish_imds_using_subcommand help; and not __fish_seen_subcommand_from token cert instance init keys placement-groups nics volumes software network-attachments cluster-network-attachments vnis disks get snapshot watch doctor exec help" -f -a "exec" -d 'Run a command with a fresh token in its environment'
complete -c imds -n "__fish_imds_using_subcommand help; and not __fish_seen_subcommand_from token cert instance init keys placement-groups nics volumes software network-attachments cluster-network-attachments vnis disks get snapshot watch doctor exec help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c imds -n "__fish_imds_using_subcommand get" -f -a "instance instance/initialization instance/network_interfaces instance/network_attachments instance/volume_attachments instance/cluster_network_attachments instance/software_attachments keys placement_groups virtual_network_interfaces"
