//! Bytes to a [`Certificate`](crate::model::Certificate): [`ingest`] decodes them (UTF-8,
//! UTF-16, GB18030 …) and tells other file formats apart ([`filetype`]), [`normalize`] folds
//! widths and drops OCR whitespace, Markdown and page furniture while keeping a line map,
//! [`fields`] reads the cover page, [`segment`] splits the special provisions into numbered
//! provisions and sub-items.

pub mod fields;
pub mod filetype;
pub mod ingest;
pub mod normalize;
pub mod numeral;
pub mod patterns;
pub mod segment;
