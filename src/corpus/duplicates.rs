//! Files (path, licence number, issue date) to possible duplicates: licence numbers held by more
//! than one file, most often the same licence scanned twice, or a renewal under the same number.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::model::Date;

/// A licence number held by more than one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duplicate {
    /// The licence number they share.
    pub license_no: String,
    /// The files holding it, in path order.
    pub documents: Vec<DuplicateDocument>,
}

/// One file of a [`Duplicate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuplicateDocument {
    /// File path.
    pub path: String,
    /// Its issue date (发证日期): the same one suggests a second copy, a later one a renewal.
    pub issued: Option<Date>,
}

/// The licence numbers held by more than one of `docs` (path, licence number, issue date),
/// ordered by licence number, each with its files in the order given. A path given twice
/// counts once.
pub fn find<'a>(
    docs: impl IntoIterator<Item = (&'a str, Option<&'a str>, Option<Date>)>,
) -> Vec<Duplicate> {
    let docs: Vec<(&str, &str, Option<Date>)> = docs
        .into_iter()
        .filter_map(|(path, license_no, issued)| Some((path, license_no?, issued)))
        .collect();
    // Counted first: nearly every number is held by one file, and only the others are
    // gathered, with their paths copied.
    let mut held: HashMap<&str, usize> = HashMap::with_capacity(docs.len());
    for &(_, license_no, _) in &docs {
        *held.entry(license_no).or_default() += 1;
    }
    let mut by_number: BTreeMap<&str, Vec<DuplicateDocument>> = BTreeMap::new();
    for &(path, license_no, issued) in &docs {
        if held[license_no] < 2 {
            continue;
        }
        let files = by_number.entry(license_no).or_default();
        if files.iter().all(|d| d.path != path) {
            files.push(DuplicateDocument {
                path: path.to_string(),
                issued,
            });
        }
    }
    by_number
        .into_iter()
        .filter(|(_, files)| files.len() > 1)
        .map(|(license_no, documents)| Duplicate {
            license_no: license_no.to_string(),
            documents,
        })
        .collect()
}

/// The first file of each licence number, for records that come one at a time in path order
/// (`scan --format jsonl` streams them): each later file is told which one came first.
#[derive(Debug, Default)]
pub struct FirstHolders {
    first: HashMap<String, String>,
}

impl FirstHolders {
    /// Notes that `path` holds `license_no`; returns the first path that held it when that
    /// is another file.
    pub fn see(&mut self, path: &str, license_no: Option<&str>) -> Option<String> {
        let license_no = license_no?;
        match self.first.get(license_no) {
            Some(first) if first != path => Some(first.clone()),
            Some(_) => None,
            None => {
                self.first.insert(license_no.to_string(), path.to_string());
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_held_by_more_than_one_file() {
        let d = |s: &str| s.parse::<Date>().ok();
        let found = find([
            ("a.txt", Some("京B2-20224676"), d("2023-08-04")),
            ("b.txt", Some("苏B2-20201765"), None),
            ("c.txt", None, None),
            ("d.txt", None, None),
            ("e/a.txt", Some("京B2-20224676"), d("2024-01-02")),
            ("a.txt", Some("京B2-20224676"), d("2023-08-04")),
            ("f.txt", Some("B2-20160073"), None),
            ("g.txt", Some("B2-20160073"), None),
        ]);
        let numbers: Vec<&str> = found.iter().map(|x| x.license_no.as_str()).collect();
        assert_eq!(numbers, ["B2-20160073", "京B2-20224676"]);
        let beijing: Vec<(&str, Option<Date>)> = found[1]
            .documents
            .iter()
            .map(|x| (x.path.as_str(), x.issued))
            .collect();
        assert_eq!(
            beijing,
            [("a.txt", d("2023-08-04")), ("e/a.txt", d("2024-01-02"))]
        );
        assert!(find([("a.txt", Some("x"), None), ("a.txt", Some("x"), None)]).is_empty());
    }

    #[test]
    fn later_files_are_told_the_first() {
        let mut seen = FirstHolders::default();
        assert_eq!(seen.see("a.txt", Some("京B2-1")), None);
        assert_eq!(seen.see("b.txt", None), None);
        assert_eq!(seen.see("c.txt", Some("京B2-1")), Some("a.txt".into()));
        assert_eq!(seen.see("d.txt", Some("京B2-1")), Some("a.txt".into()));
        assert_eq!(seen.see("a.txt", Some("京B2-1")), None);
    }
}
