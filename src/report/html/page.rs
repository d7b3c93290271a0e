//! The frame every HTML page shares: a head with a Content-Security-Policy whose nonce is the
//! only way a style or script may run, the base styles and the error hook, then the page's
//! body and its script.

use std::io::{self, Write};

use xxhash_rust::xxh3::Xxh3;

use super::escape;

/// Styles shared by the HTML reports: type, redlines, badges, tables, print.
const BASE_CSS: &str = include_str!("base.css");

/// Records script errors and Content-Security-Policy violations into `data-errors` on
/// `<body>`, so a test (or a curious reviewer) can see that the page ran cleanly.
const ERROR_HOOK: &str = include_str!("error-hook.js");

/// What a page brings on top of the frame: its title, its own stylesheets (after the base
/// styles) and its script (at the end of the body).
pub(super) struct Page<'a> {
    /// The page title (escaped here).
    pub title: &'a str,
    /// The page's stylesheets, in order.
    pub styles: &'a [&'a str],
    /// The page's script.
    pub script: &'a str,
}

/// Writes a complete page: head with CSP, styles and the error hook, then `body`, then the
/// script. The CSP nonce is derived from the content, so the output stays deterministic while
/// injected markup could not guess it.
pub(super) fn write_page(out: &mut dyn Write, page: &Page, body: &[u8]) -> io::Result<()> {
    // Each stylesheet and the script start on a line of their own.
    let mut h = Xxh3::new();
    for css in page.styles {
        h.update(b"\n");
        h.update(css.as_bytes());
    }
    h.update(body);
    h.update(b"\n");
    h.update(page.script.as_bytes());
    let nonce = format!("{:032x}", h.digest128());
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; base-uri 'none'; form-action 'none'\">\n\
<meta name=\"generator\" content=\"provdiff\">\n<title>{}</title>\n<link rel=\"icon\" href=\"data:,\">\n\
<style nonce=\"{nonce}\">\n{BASE_CSS}",
        escape(page.title)
    )?;
    for css in page.styles {
        write!(out, "\n{css}")?;
    }
    write!(
        out,
        "</style>\n<script nonce=\"{nonce}\">{}</script>\n</head>\n<body data-errors=\"\">\n",
        ERROR_HOOK.trim_end()
    )?;
    out.write_all(body)?;
    writeln!(
        out,
        "<script nonce=\"{nonce}\">\n{}</script>\n</body>\n</html>",
        page.script
    )
}
