
use builtin;
use str;

set edit:completion:arg-completer[imds-mock] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'imds-mock'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'imds-mock'= {
            cand --port 'Port to listen on; 0 picks a free one'
            cand --bind 'Address to listen on'
            cand --fixture 'The instance to describe, as JSON (format below); default: IBM''s documentation examples'
            cand --preset 'A built-in data set instead of --fixture: `default` (one instance as IBM''s examples describe it), or `paging` (the same instance with 120 placement groups and 120 virtual network interfaces, to test following pages)'
            cand --tls-cert 'Serve HTTPS with this PEM certificate chain (needs --tls-key)'
            cand --tls-key 'The PEM private key for --tls-cert'
            cand --ca-out 'Write the root certificate of the emulator''s instance identity CA to FILE (PEM), before the URL line is printed: what a client trusts to verify `…/certificates` chains'
            cand --latency 'Wait this long before answering each request (e.g. 300ms, 2s)'
            cand --fail 'Answer with STATUS and an IBM-shaped error, for COUNT requests (default: all)'
            cand --retry-after 'With --fail: the Retry-After header, in seconds (a 429 gets 1 by default)'
            cand --drop 'Close the connection without an answer, for N requests ("all" for every one)'
            cand --oversize 'Answer 200 with a JSON-looking body of BYTES bytes (default 64 MiB), announced by Content-Length'
            cand --oversize-chunked 'Like --oversize, but chunked: no Content-Length, so a client finds out only while reading'
            cand --token-ttl 'Tokens live at most this long, whatever they say (e.g. 1s)'
            cand --patch-after 'Apply the JSON merge patch in FILE to the fixture DURATION after start (repeatable)'
            cand --fault 'Add a fault rule in the control path''s JSON form (repeatable)'
            cand --bare-metal 'Act as a bare metal server: tokens, IAM tokens and certificates under /identity/v1/; every /metadata/v1/ path is 404, and so is every /instance_identity/ path, whatever the version date (as IBM documents it for dates up to 2025-08-25)'
            cand --dump-fixture 'Print the default fixture and exit: a start for your own'
            cand --hang 'Accept every request and never answer, like the service when disabled'
            cand --truncate 'Send the answer''s head and half its body, then close'
            cand --not-json 'Answer 200 with a body that is not JSON'
            cand -q 'No per-request log lines on stderr'
            cand --quiet 'No per-request log lines on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
    ]
    $completions[$command]
}
