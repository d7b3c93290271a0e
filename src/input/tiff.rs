//! Page images as TIFF files tesseract reads: the compressed data of a PDF's image (CCITT G4)
//! or its raw samples wrapped, undecoded, in a one-page, one-strip baseline TIFF.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TiffCompression {
    /// Raw samples.
    None,
    /// CCITT group 4 fax data.
    CcittG4,
}

/// A one-page, one-strip baseline TIFF around already-encoded data.
pub(crate) struct Tiff {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) bits: u16,
    pub(crate) samples: u16,
    pub(crate) compression: TiffCompression,
    pub(crate) photometric: u16,
    pub(crate) dpi: Option<u32>,
}

impl Tiff {
    /// The TIFF file around `data`, the strip as the PDF holds it.
    pub(crate) fn encode(&self, data: &[u8]) -> Vec<u8> {
        // Layout: header (8) | strip data | [BitsPerSample array] | resolution rationals | IFD.
        let mut out = Vec::with_capacity(data.len() + 256);
        out.extend_from_slice(b"II*\0");
        out.extend_from_slice(&[0; 4]); // IFD offset, patched below
        out.extend_from_slice(data);
        if out.len() % 2 == 1 {
            out.push(0);
        }
        let bits_at = out.len() as u32;
        if self.samples > 1 {
            for _ in 0..self.samples {
                out.extend_from_slice(&self.bits.to_le_bytes());
            }
        }
        let res_at = out.len() as u32;
        let dpi = self.dpi.unwrap_or(0);
        for _ in 0..2 {
            out.extend_from_slice(&dpi.to_le_bytes());
            out.extend_from_slice(&1u32.to_le_bytes());
        }
        let ifd_at = out.len() as u32;
        out[4..8].copy_from_slice(&ifd_at.to_le_bytes());
        // (tag, type, count, value) — type 3 SHORT, 4 LONG, 5 RATIONAL; tags ascending.
        let mut tags: Vec<(u16, u16, u32, u32)> = vec![
            (256, 4, 1, self.width),
            (257, 4, 1, self.height),
            (
                258,
                3,
                self.samples as u32,
                if self.samples > 1 {
                    bits_at
                } else {
                    self.bits as u32
                },
            ),
            (
                259,
                3,
                1,
                if self.compression == TiffCompression::CcittG4 {
                    4
                } else {
                    1
                },
            ),
            (262, 3, 1, self.photometric as u32),
            (273, 4, 1, 8),
            (277, 3, 1, self.samples as u32),
            (278, 4, 1, self.height),
            (279, 4, 1, data.len() as u32),
        ];
        if self.dpi.is_some() {
            tags.extend([(282, 5, 1, res_at), (283, 5, 1, res_at + 8), (296, 3, 1, 2)]);
        }
        if self.samples > 1 {
            tags.push((284, 3, 1, 1)); // PlanarConfiguration: contiguous
        }
        tags.sort_by_key(|t| t.0);
        out.extend_from_slice(&(tags.len() as u16).to_le_bytes());
        for (tag, ty, count, value) in tags {
            out.extend_from_slice(&tag.to_le_bytes());
            out.extend_from_slice(&ty.to_le_bytes());
            out.extend_from_slice(&count.to_le_bytes());
            if ty == 3 && count == 1 {
                out.extend_from_slice(&(value as u16).to_le_bytes());
                out.extend_from_slice(&[0, 0]);
            } else {
                out.extend_from_slice(&value.to_le_bytes());
            }
        }
        out.extend_from_slice(&[0; 4]); // no next IFD
        out
    }
}

/// Number of pages (IFDs) of a TIFF file; `None` if it is not a TIFF.
#[cfg(test)]
pub fn tiff_page_count(bytes: &[u8]) -> Option<u32> {
    let le = match bytes.get(..4)? {
        b"II*\0" => true,
        b"MM\0*" => false,
        _ => return None,
    };
    let u16_at = |i: usize| -> Option<u16> {
        let b: [u8; 2] = bytes.get(i..i + 2)?.try_into().ok()?;
        Some(if le {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        })
    };
    let u32_at = |i: usize| -> Option<u32> {
        let b: [u8; 4] = bytes.get(i..i + 4)?.try_into().ok()?;
        Some(if le {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    };
    let mut at = u32_at(4)? as usize;
    let mut n = 0;
    while at != 0 && n < 10_000 {
        let entries = u16_at(at)? as usize;
        n += 1;
        at = u32_at(at + 2 + entries * 12)? as usize;
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wrapper_writes_a_valid_ifd() {
        let t = Tiff {
            width: 3,
            height: 2,
            bits: 8,
            samples: 3,
            compression: TiffCompression::None,
            photometric: 2,
            dpi: Some(200),
        };
        let b = t.encode(&[0u8; 18]);
        assert_eq!(tiff_page_count(&b), Some(1));
        assert_eq!(&b[..4], b"II*\0");
        let ifd = u32::from_le_bytes(b[4..8].try_into().unwrap()) as usize;
        let n = u16::from_le_bytes(b[ifd..ifd + 2].try_into().unwrap()) as usize;
        let tags: Vec<u16> = (0..n)
            .map(|i| u16::from_le_bytes(b[ifd + 2 + 12 * i..ifd + 4 + 12 * i].try_into().unwrap()))
            .collect();
        assert!(
            tags.windows(2).all(|w| w[0] < w[1]),
            "tags ascending: {tags:?}"
        );
        assert_eq!(tiff_page_count(b"not a tiff"), None);
    }
}
