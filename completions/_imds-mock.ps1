
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'imds-mock' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'imds-mock'
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
        'imds-mock' {
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port to listen on; 0 picks a free one')
            [CompletionResult]::new('--bind', '--bind', [CompletionResultType]::ParameterName, 'Address to listen on')
            [CompletionResult]::new('--fixture', '--fixture', [CompletionResultType]::ParameterName, 'The instance to describe, as JSON (format below); default: IBM''s documentation examples')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'A built-in data set instead of --fixture: `default` (one instance as IBM''s examples describe it), or `paging` (the same instance with 120 placement groups and 120 virtual network interfaces, to test following pages)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Serve HTTPS with this PEM certificate chain (needs --tls-key)')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'The PEM private key for --tls-cert')
            [CompletionResult]::new('--ca-out', '--ca-out', [CompletionResultType]::ParameterName, 'Write the root certificate of the emulator''s instance identity CA to FILE (PEM), before the URL line is printed: what a client trusts to verify `…/certificates` chains')
            [CompletionResult]::new('--latency', '--latency', [CompletionResultType]::ParameterName, 'Wait this long before answering each request (e.g. 300ms, 2s)')
            [CompletionResult]::new('--fail', '--fail', [CompletionResultType]::ParameterName, 'Answer with STATUS and an IBM-shaped error, for COUNT requests (default: all)')
            [CompletionResult]::new('--retry-after', '--retry-after', [CompletionResultType]::ParameterName, 'With --fail: the Retry-After header, in seconds (a 429 gets 1 by default)')
            [CompletionResult]::new('--drop', '--drop', [CompletionResultType]::ParameterName, 'Close the connection without an answer, for N requests ("all" for every one)')
            [CompletionResult]::new('--oversize', '--oversize', [CompletionResultType]::ParameterName, 'Answer 200 with a JSON-looking body of BYTES bytes (default 64 MiB), announced by Content-Length')
            [CompletionResult]::new('--oversize-chunked', '--oversize-chunked', [CompletionResultType]::ParameterName, 'Like --oversize, but chunked: no Content-Length, so a client finds out only while reading')
            [CompletionResult]::new('--token-ttl', '--token-ttl', [CompletionResultType]::ParameterName, 'Tokens live at most this long, whatever they say (e.g. 1s)')
            [CompletionResult]::new('--patch-after', '--patch-after', [CompletionResultType]::ParameterName, 'Apply the JSON merge patch in FILE to the fixture DURATION after start (repeatable)')
            [CompletionResult]::new('--fault', '--fault', [CompletionResultType]::ParameterName, 'Add a fault rule in the control path''s JSON form (repeatable)')
            [CompletionResult]::new('--bare-metal', '--bare-metal', [CompletionResultType]::ParameterName, 'Act as a bare metal server: tokens, IAM tokens and certificates under /identity/v1/; every /metadata/v1/ path is 404, and so is every /instance_identity/ path, whatever the version date (as IBM documents it for dates up to 2025-08-25)')
            [CompletionResult]::new('--dump-fixture', '--dump-fixture', [CompletionResultType]::ParameterName, 'Print the default fixture and exit: a start for your own')
            [CompletionResult]::new('--hang', '--hang', [CompletionResultType]::ParameterName, 'Accept every request and never answer, like the service when disabled')
            [CompletionResult]::new('--truncate', '--truncate', [CompletionResultType]::ParameterName, 'Send the answer''s head and half its body, then close')
            [CompletionResult]::new('--not-json', '--not-json', [CompletionResultType]::ParameterName, 'Answer 200 with a body that is not JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No per-request log lines on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No per-request log lines on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
