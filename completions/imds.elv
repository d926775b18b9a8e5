
use builtin;
use str;

set edit:completion:arg-completer[imds] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'imds'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'imds'= {
            cand --endpoint 'Base URL of the metadata service [env: IMDS_ENDPOINT]'
            cand --cacert 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s'
            cand --api-version 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]'
            cand -f 'Print only this field (repeatable: tab-separated columns)'
            cand --field 'Print only this field (repeatable: tab-separated columns)'
            cand --shell 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)'
            cand --default 'What a --field or --shell path that matches nothing gives, instead of exit 6'
            cand -o 'Write the output to FILE instead of stdout, all at once'
            cand --output 'Write the output to FILE instead of stdout, all at once'
            cand --color 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)'
            cand --timeout 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]'
            cand --wait 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]'
            cand --secure 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
            cand -c 'Print JSON on one line'
            cand --compact 'Print JSON on one line'
            cand -0 'End every picked value with NUL, raw: no newlines, no tabs between columns'
            cand --null 'End every picked value with NUL, raw: no newlines, no tabs between columns'
            cand -v 'Print one line per HTTP attempt on stderr (tokens are redacted)'
            cand --verbose 'Print one line per HTTP attempt on stderr (tokens are redacted)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand token 'Mint an identity access token and print it'
            cand instance 'Print the instance document'
            cand init 'Print the initialization data (keys, user_data, default_trusted_profile)'
            cand keys 'List the SSH keys of the instance, or show one'
            cand placement-groups 'List the placement groups, or show one'
            cand nics 'List the network interfaces, or show one'
            cand volumes 'List the volume attachments, or show one'
            cand get 'GET any path under /metadata/v1/ and print the document (all pages)'
            cand snapshot 'Print everything the service tells this instance, as an imds-mock fixture'
            cand doctor 'Diagnose access to the metadata service and print the fix'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'imds;token'= {
            cand --expires-in 'Token lifetime in seconds (5-3600); an IAM token''s lifetime is IAM''s, so not with --iam'
            cand --profile-id 'Trusted profile id for --iam (default: the instance''s default profile)'
            cand --profile-crn 'Trusted profile CRN for --iam (default: the instance''s default profile)'
            cand --endpoint 'Base URL of the metadata service [env: IMDS_ENDPOINT]'
            cand --cacert 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s'
            cand --api-version 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]'
            cand -f 'Print only this field (repeatable: tab-separated columns)'
            cand --field 'Print only this field (repeatable: tab-separated columns)'
            cand --shell 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)'
            cand --default 'What a --field or --shell path that matches nothing gives, instead of exit 6'
            cand -o 'Write the output to FILE instead of stdout, all at once'
            cand --output 'Write the output to FILE instead of stdout, all at once'
            cand --color 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)'
            cand --timeout 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]'
            cand --wait 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]'
            cand --json 'Print the whole token response as JSON'
            cand --export 'Print `export IMDS_TOKEN=…` for `eval`'
            cand --iam 'Exchange the identity token for an IAM token of a trusted profile'
            cand --secure 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
            cand -c 'Print JSON on one line'
            cand --compact 'Print JSON on one line'
            cand -0 'End every picked value with NUL, raw: no newlines, no tabs between columns'
            cand --null 'End every picked value with NUL, raw: no newlines, no tabs between columns'
            cand -v 'Print one line per HTTP attempt on stderr (tokens are redacted)'
            cand --verbose 'Print one line per HTTP attempt on stderr (tokens are redacted)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'imds;instance'= {
            cand --endpoint 'Base URL of the metadata service [env: IMDS_ENDPOINT]'
            cand --cacert 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s'
            cand --api-version 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]'
            cand -f 'Print only this field (repeatable: tab-separated columns)'
            cand --field 'Print only this field (repeatable: tab-separated columns)'
            cand --shell 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)'
            cand --default 'What a --field or --shell path that matches nothing gives, instead of exit 6'
            cand -o 'Write the output to FILE instead of stdout, all at once'
            cand --output 'Write the output to FILE instead of stdout, all at once'
            cand --color 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)'
            cand --timeout 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]'
            cand --wait 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]'
            cand --secure 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
            cand -c 'Print JSON on one line'
            cand --compact 'Print JSON on one line'
            cand -0 'End every picked value with NUL, raw: no newlines, no tabs between columns'
            cand --null 'End every picked value with NUL, raw: no newlines, no tabs between columns'
            cand -v 'Print one line per HTTP attempt on stderr (tokens are redacted)'
            cand --verbose 'Print one line per HTTP attempt on stderr (tokens are redacted)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'imds;init'= {
            cand --endpoint 'Base URL of the metadata service [env: IMDS_ENDPOINT]'
            cand --cacert 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s'
            cand --api-version 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]'
            cand -f 'Print only this field (repeatable: tab-separated columns)'
            cand --field 'Print only this field (repeatable: tab-separated columns)'
            cand --shell 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)'
            cand --default 'What a --field or --shell path that matches nothing gives, instead of exit 6'
            cand -o 'Write the output to FILE instead of stdout, all at once'
            cand --output 'Write the output to FILE instead of stdout, all at once'
            cand --color 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)'
            cand --timeout 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]'
            cand --wait 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]'
            cand --user-data 'Print the user data byte-exact, with nothing added (nothing when there is none)'
            cand --secure 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
            cand -c 'Print JSON on one line'
            cand --compact 'Print JSON on one line'
            cand -0 'End every picked value with NUL, raw: no newlines, no tabs between columns'
            cand --null 'End every picked value with NUL, raw: no newlines, no tabs between columns'
            cand -v 'Print one line per HTTP attempt on stderr (tokens are redacted)'
            cand --verbose 'Print one line per HTTP attempt on stderr (tokens are redacted)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'imds;keys'= {
            cand --authorized-keys 'Add the keys to this authorized_keys file, unless there already'
            cand --endpoint 'Base URL of the metadata service [env: IMDS_ENDPOINT]'
            cand --cacert 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s'
            cand --api-version 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]'
            cand -f 'Print only this field (repeatable: tab-separated columns)'
            cand --field 'Print only this field (repeatable: tab-separated columns)'
            cand --shell 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)'
            cand --default 'What a --field or --shell path that matches nothing gives, instead of exit 6'
            cand -o 'Write the output to FILE instead of stdout, all at once'
            cand --output 'Write the output to FILE instead of stdout, all at once'
            cand --color 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)'
            cand --timeout 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]'
            cand --wait 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]'
            cand --secure 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
            cand -c 'Print JSON on one line'
            cand --compact 'Print JSON on one line'
            cand -0 'End every picked value with NUL, raw: no newlines, no tabs between columns'
            cand --null 'End every picked value with NUL, raw: no newlines, no tabs between columns'
            cand -v 'Print one line per HTTP attempt on stderr (tokens are redacted)'
            cand --verbose 'Print one line per HTTP attempt on stderr (tokens are redacted)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'imds;placement-groups'= {
            cand --endpoint 'Base URL of the metadata service [env: IMDS_ENDPOINT]'
            cand --cacert 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s'
            cand --api-version 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]'
            cand -f 'Print only this field (repeatable: tab-separated columns)'
            cand --field 'Print only this field (repeatable: tab-separated columns)'
            cand --shell 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)'
            cand --default 'What a --field or --shell path that matches nothing gives, instead of exit 6'
            cand -o 'Write the output to FILE instead of stdout, all at once'
            cand --output 'Write the output to FILE instead of stdout, all at once'
            cand --color 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)'
            cand --timeout 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]'
            cand --wait 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]'
            cand --secure 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
            cand -c 'Print JSON on one line'
            cand --compact 'Print JSON on one line'
            cand -0 'End every picked value with NUL, raw: no newlines, no tabs between columns'
            cand --null 'End every picked value with NUL, raw: no newlines, no tabs between columns'
            cand -v 'Print one line per HTTP attempt on stderr (tokens are redacted)'
            cand --verbose 'Print one line per HTTP attempt on stderr (tokens are redacted)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'imds;nics'= {
            cand --endpoint 'Base URL of the metadata service [env: IMDS_ENDPOINT]'
            cand --cacert 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s'
            cand --api-version 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]'
            cand -f 'Print only this field (repeatable: tab-separated columns)'
            cand --field 'Print only this field (repeatable: tab-separated columns)'
            cand --shell 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)'
            cand --default 'What a --field or --shell path that matches nothing gives, instead of exit 6'
            cand -o 'Write the output to FILE instead of stdout, all at once'
            cand --output 'Write the output to FILE instead of stdout, all at once'
            cand --color 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)'
            cand --timeout 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]'
            cand --wait 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]'
            cand --secure 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
            cand -c 'Print JSON on one line'
            cand --compact 'Print JSON on one line'
            cand -0 'End every picked value with NUL, raw: no newlines, no tabs between columns'
            cand --null 'End every picked value with NUL, raw: no newlines, no tabs between columns'
            cand -v 'Print one line per HTTP attempt on stderr (tokens are redacted)'
            cand --verbose 'Print one line per HTTP attempt on stderr (tokens are redacted)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'imds;volumes'= {
            cand --endpoint 'Base URL of the metadata service [env: IMDS_ENDPOINT]'
            cand --cacert 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s'
            cand --api-version 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]'
            cand -f 'Print only this field (repeatable: tab-separated columns)'
            cand --field 'Print only this field (repeatable: tab-separated columns)'
            cand --shell 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)'
            cand --default 'What a --field or --shell path that matches nothing gives, instead of exit 6'
            cand -o 'Write the output to FILE instead of stdout, all at once'
            cand --output 'Write the output to FILE instead of stdout, all at once'
            cand --color 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)'
            cand --timeout 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]'
            cand --wait 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]'
            cand --secure 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
            cand -c 'Print JSON on one line'
            cand --compact 'Print JSON on one line'
            cand -0 'End every picked value with NUL, raw: no newlines, no tabs between columns'
            cand --null 'End every picked value with NUL, raw: no newlines, no tabs between columns'
            cand -v 'Print one line per HTTP attempt on stderr (tokens are redacted)'
            cand --verbose 'Print one line per HTTP attempt on stderr (tokens are redacted)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'imds;get'= {
            cand --endpoint 'Base URL of the metadata service [env: IMDS_ENDPOINT]'
            cand --cacert 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s'
            cand --api-version 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]'
            cand -f 'Print only this field (repeatable: tab-separated columns)'
            cand --field 'Print only this field (repeatable: tab-separated columns)'
            cand --shell 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)'
            cand --default 'What a --field or --shell path that matches nothing gives, instead of exit 6'
            cand -o 'Write the output to FILE instead of stdout, all at once'
            cand --output 'Write the output to FILE instead of stdout, all at once'
            cand --color 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)'
            cand --timeout 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]'
            cand --wait 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]'
            cand --secure 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
            cand -c 'Print JSON on one line'
            cand --compact 'Print JSON on one line'
            cand -0 'End every picked value with NUL, raw: no newlines, no tabs between columns'
            cand --null 'End every picked value with NUL, raw: no newlines, no tabs between columns'
            cand -v 'Print one line per HTTP attempt on stderr (tokens are redacted)'
            cand --verbose 'Print one line per HTTP attempt on stderr (tokens are redacted)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'imds;snapshot'= {
            cand --endpoint 'Base URL of the metadata service [env: IMDS_ENDPOINT]'
            cand --cacert 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s'
            cand --api-version 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]'
            cand -f 'Print only this field (repeatable: tab-separated columns)'
            cand --field 'Print only this field (repeatable: tab-separated columns)'
            cand --shell 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)'
            cand --default 'What a --field or --shell path that matches nothing gives, instead of exit 6'
            cand -o 'Write the output to FILE instead of stdout, all at once'
            cand --output 'Write the output to FILE instead of stdout, all at once'
            cand --color 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)'
            cand --timeout 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]'
            cand --wait 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]'
            cand --redact 'Leave out the user data and any licence keys'
            cand --secure 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
            cand -c 'Print JSON on one line'
            cand --compact 'Print JSON on one line'
            cand -0 'End every picked value with NUL, raw: no newlines, no tabs between columns'
            cand --null 'End every picked value with NUL, raw: no newlines, no tabs between columns'
            cand -v 'Print one line per HTTP attempt on stderr (tokens are redacted)'
            cand --verbose 'Print one line per HTTP attempt on stderr (tokens are redacted)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'imds;doctor'= {
            cand --endpoint 'Base URL of the metadata service [env: IMDS_ENDPOINT]'
            cand --cacert 'Extra CA certificate (PEM) to trust for HTTPS, besides the system''s'
            cand --api-version 'API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]'
            cand -f 'Print only this field (repeatable: tab-separated columns)'
            cand --field 'Print only this field (repeatable: tab-separated columns)'
            cand --shell 'Print NAME=''value'' lines for `eval` in sh, dash, bash and zsh (repeatable)'
            cand --default 'What a --field or --shell path that matches nothing gives, instead of exit 6'
            cand -o 'Write the output to FILE instead of stdout, all at once'
            cand --output 'Write the output to FILE instead of stdout, all at once'
            cand --color 'When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)'
            cand --timeout 'Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]'
            cand --wait 'Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]'
            cand --secure 'Use the service''s HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]'
            cand -c 'Print JSON on one line'
            cand --compact 'Print JSON on one line'
            cand -0 'End every picked value with NUL, raw: no newlines, no tabs between columns'
            cand --null 'End every picked value with NUL, raw: no newlines, no tabs between columns'
            cand -v 'Print one line per HTTP attempt on stderr (tokens are redacted)'
            cand --verbose 'Print one line per HTTP attempt on stderr (tokens are redacted)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'imds;help'= {
            cand token 'Mint an identity access token and print it'
            cand instance 'Print the instance document'
            cand init 'Print the initialization data (keys, user_data, default_trusted_profile)'
            cand keys 'List the SSH keys of the instance, or show one'
            cand placement-groups 'List the placement groups, or show one'
            cand nics 'List the network interfaces, or show one'
            cand volumes 'List the volume attachments, or show one'
            cand get 'GET any path under /metadata/v1/ and print the document (all pages)'
            cand snapshot 'Print everything the service tells this instance, as an imds-mock fixture'
            cand doctor 'Diagnose access to the metadata service and print the fix'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'imds;help;token'= {
        }
        &'imds;help;instance'= {
        }
        &'imds;help;init'= {
        }
        &'imds;help;keys'= {
        }
        &'imds;help;placement-groups'= {
        }
        &'imds;help;nics'= {
        }
        &'imds;help;volumes'= {
        }
        &'imds;help;get'= {
        }
        &'imds;help;snapshot'= {
        }
        &'imds;help;doctor'= {
        }
        &'imds;help;help'= {
        }
    ]
    $completions[$command]
}
