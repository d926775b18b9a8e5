//! The floor for `imds instance`: the least a client can do to read the instance document.
//!
//! Mints a token with one PUT and reads the instance with one GET, both over one keep-alive
//! `TcpStream` with TCP_NODELAY, and writes the body to stdout as received. No libraries, no
//! retries, no checks beyond what is needed to find the token and the end of each answer
//! (`Content-Length` framing only, as the emulator sends it).
//!
//! benches/compare.sh builds it with `rustc -O` and times it beside `imds instance`.
//!
//! Usage: floor http://127.0.0.1:PORT API-VERSION

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: floor http://HOST:PORT API-VERSION");
        return ExitCode::from(2);
    }
    match run(&args[1], &args[2]) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("floor: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(base: &str, version: &str) -> Result<(), String> {
    let host = base
        .strip_prefix("http://")
        .ok_or("the base URL must start with http://")?
        .trim_end_matches('/');
    let stream = TcpStream::connect(host).map_err(|e| format!("connect {host}: {e}"))?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let mut writer = stream.try_clone().map_err(|e| e.to_string())?;
    let mut reader = BufReader::with_capacity(64 * 1024, stream);

    let body = br#"{"expires_in": 3600}"#;
    let put = format!(
        "PUT /identity/v1/token?version={version} HTTP/1.1\r\nHost: {host}\r\n\
         Metadata-Flavor: ibm\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n",
        body.len()
    );
    let mut request = put.into_bytes();
    request.extend_from_slice(body);
    writer.write_all(&request).map_err(|e| e.to_string())?;
    let answer = read_answer(&mut reader)?;
    let token = access_token(&answer).ok_or("no access_token in the token answer")?;

    let get = format!(
        "GET /metadata/v1/instance?version={version} HTTP/1.1\r\nHost: {host}\r\n\
         Authorization: Bearer {token}\r\n\r\n"
    );
    writer
        .write_all(get.as_bytes())
        .map_err(|e| e.to_string())?;
    let answer = read_answer(&mut reader)?;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(&answer)
        .and_then(|()| stdout.write_all(b"\n"))
        .map_err(|e| e.to_string())
}

/// Reads one answer: the status line must say 200; returns the body.
fn read_answer(reader: &mut BufReader<TcpStream>) -> Result<Vec<u8>, String> {
    let mut line = String::new();
    reader.read_line(&mut line).map_err(|e| e.to_string())?;
    if !line.starts_with("HTTP/1.1 200") {
        return Err(format!("answer: {}", line.trim_end()));
    }
    let mut length = None;
    loop {
        line.clear();
        reader.read_line(&mut line).map_err(|e| e.to_string())?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let length = length.ok_or("no Content-Length")?;
    let mut body = vec![0; length];
    reader.read_exact(&mut body).map_err(|e| e.to_string())?;
    Ok(body)
}

/// The value of `"access_token": "…"` in the token answer.
fn access_token(body: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(body).ok()?;
    let after_key = &text[text.find("\"access_token\"")? + "\"access_token\"".len()..];
    let after_colon = after_key.trim_start().strip_prefix(':')?.trim_start();
    let value = after_colon.strip_prefix('"')?;
    Some(&value[..value.find('"')?])
}
