//! provdiff reads Chinese value-added telecom business licences (增值电信业务经营许可证) and
//! tracks how the wording of their special provisions (特别规定事项) differs and drifts.
//!
//! The pipeline runs one way, each stage a plain function over plain data:
//! [`ingest`](parse::ingest) turns bytes into text (UTF-8, UTF-16, GB18030 …),
//! [`normalize`](parse::normalize) folds widths, drops OCR whitespace, Markdown and page
//! furniture while keeping a line map, [`fields`](parse::fields) reads the cover page,
//! [`segment`](parse::segment) splits the special provisions into numbered provisions and
//! sub-items; [`parse`](fn@parse) runs those four and returns a [`model::Certificate`].
//!
//! ```
//! let text = "经营许可证编号: 京B2-20224676\n公司名称: 甲公司\n特别规定事项\n\
//!             一、你公司应当遵守规定。\n二、你公司在经营信息服务业务时应当遵守下列规定:\n\
//!             (一)未经批准,你公司不得开展固定网电话信息服务业务。\n";
//! let cert = provdiff::parse("cert.txt", text.as_bytes(), &Default::default()).unwrap();
//! assert_eq!(cert.fields.license_no.as_deref(), Some("京B2-20224676"));
//! let ids: Vec<String> = cert.flat().map(|p| p.id.to_string()).collect();
//! assert_eq!(ids, ["一", "二", "二(一)"]);
//! ```
#![warn(missing_docs)]

pub mod align;
pub mod compare;
pub mod corpus;
pub mod diff;
pub mod drift;
pub mod input;
pub mod model;
pub mod parse;
pub mod report;
pub mod scan;

pub use parse::{
    MAX_FILE_BYTES, MAX_LINES, ParseError, ParseOptions, io_reason, parse, parse_file, parse_owned,
    parse_text, read_bytes,
};
