complete -c imds-mock -l port -d 'Port to listen on; 0 picks a free one' -r -f
complete -c imds-mock -l bind -d 'Address to listen on' -r -f
complete -c imds-mock -l fixture -d 'The instance to describe, as JSON (format below); default: IBM\'s documentation examples' -r -F
complete -c imds-mock -l preset -d 'A built-in data set instead of --fixture: `default` (one instance as IBM\'s examples describe it), or `paging` (the same instance with 120 placement groups and 120 virtual network interfaces, to test following pages)' -r -f -a "default\t'One instance as IBM\'s documentation examples describe it (the default)'
paging\t'The default instance with long lists, for clients that follow pages'"
complete -c imds-mock -l tls-cert -d 'Serve HTTPS with this PEM certificate chain (needs --tls-key)' -r -F
complete -c imds-mock -l tls-key -d 'The PEM private key for --tls-cert' -r -F
complete -c imds-mock -l ca-out -d 'Write the root certificate of the emulator\'s instance identity CA to FILE (PEM), before the URL line is printed: what a client trusts to verify `…/certificates` chains' -r -F
complete -c imds-mock -l latency -d 'Wait this long before answering each request (e.g. 300ms, 2s)' -r -f
complete -c imds-mock -l fail -d 'Answer with STATUS and an IBM-shaped error, for COUNT requests (default: all)' -r -f
complete -c imds-mock -l retry-after -d 'With --fail: the Retry-After header, in seconds (a 429 gets 1 by default)' -r -f
complete -c imds-mock -l drop -d 'Close the connection without an answer, for N requests ("all" for every one)' -r -f
complete -c imds-mock -l oversize -d 'Answer 200 with a JSON-looking body of BYTES bytes (default 64 MiB), announced by Content-Length' -r -f
complete -c imds-mock -l oversize-chunked -d 'Like --oversize, but chunked: no Content-Length, so a client finds out only while reading' -r -f
complete -c imds-mock -l token-ttl -d 'Tokens live at most this long, whatever they say (e.g. 1s)' -r -f
complete -c imds-mock -l patch-after -d 'Apply the JSON merge patch in FILE to the fixture DURATION after start (repeatable)' -r -f
complete -c imds-mock -l fault -d 'Add a fault rule in the control path\'s JSON form (repeatable)' -r -f
complete -c imds-mock -l bare-metal -d 'Act as a bare metal server: tokens, IAM tokens and certificates under /identity/v1/; every /metadata/v1/ path is 404, and so is every /instance_identity/ path, whatever the version date (as IBM documents it for dates up to 2025-08-25)'
complete -c imds-mock -l dump-fixture -d 'Print the default fixture and exit: a start for your own'
complete -c imds-mock -l hang -d 'Accept every request and never answer, like the service when disabled'
complete -c imds-mock -l truncate -d 'Send the answer\'s head and half its body, then close'
complete -c imds-mock -l not-json -d 'Answer 200 with a body that is not JSON'
complete -c imds-mock -s q -l quiet -d 'No per-request log lines on stderr'
complete -c imds-mock -s h -l help -d 'Print help (see more with \'--help\')'
complete -c imds-mock -s V -l version -d 'Print version'
