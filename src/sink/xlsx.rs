//! XLSX export (rust_xlsxwriter in constant-memory mode): bold frozen header, autofilter,
//! column widths, coloured levels, real date-time cells in the display zone, text always
//! written as strings (never formulas), and a new sheet past Excel's row limit.

use std::path::Path;
use std::sync::Arc;

use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, XlsxError};

use crate::engine::Collector;
use crate::entry::{Entry, Level};
use crate::sink::table::{cell_safe, ColumnKind, Table};
use crate::time::Zone;

/// Rows per sheet, header included (Excel's limit).
pub const EXCEL_MAX_ROWS: u32 = 1_048_576;
/// Longest text a cell holds.
const EXCEL_MAX_CHARS: usize = 32_767;

/// One row, owned, ready for the workbook.
#[derive(Clone, Debug)]
pub struct Row {
    /// The time (ns since the epoch), for the time column.
    pub ts: Option<i64>,
    /// The level, for colouring.
    pub level: Option<Level>,
    /// The cells in column order (already safe for a spreadsheet).
    pub cells: Vec<Option<String>>,
}

/// Collects rows of a chunk.
pub struct RowCollector {
    /// How entries become cells.
    pub table: Arc<Table>,
    /// Rows so far.
    pub rows: Vec<Row>,
}

impl RowCollector {
    /// A collector for a table.
    pub fn new(table: Arc<Table>) -> RowCollector {
        RowCollector { table, rows: Vec::new() }
    }
}

/// The row of an entry.
pub fn row_of(table: &Table, e: &Entry<'_>) -> Row {
    let cells = table
        .columns
        .iter()
        .map(|c| match c.kind {
            ColumnKind::Ts => None,
            _ => table.cell(e, c).map(|v| cell_safe(&v).into_owned()),
        })
        .collect();
    Row { ts: e.ts.map(|t| t.nanos), level: e.level, cells }
}

impl Collector for RowCollector {
    type Out = Vec<Row>;
    fn entry(&mut self, e: &Entry<'_>) {
        self.rows.push(row_of(&self.table, e));
    }
    fn take(&mut self) -> Vec<Row> {
        std::mem::take(&mut self.rows)
    }
}

/// Why an XLSX export stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum XlsxExportError {
    /// The workbook library failed (disk full, permissions).
    #[error("writing the workbook: {0}")]
    Xlsx(#[from] XlsxError),
    /// More rows than `--max-rows`.
    #[error("more than {max} rows: stopped (raise --max-rows, or narrow the query)")]
    TooManyRows {
        /// The limit.
        max: u64,
    },
}

/// Writes rows into a workbook, sheet after sheet.
pub struct XlsxWriter {
    wb: Workbook,
    headers: Vec<String>,
    kinds: Vec<ColumnKind>,
    sheet: usize,
    row: u32,
    /// Data rows written so far.
    pub rows: u64,
    max_rows: Option<u64>,
    zone: Zone,
    header_fmt: Format,
    time_fmt: Format,
    level_fmts: [Format; 6],
    title: String,
    widths: Vec<f64>,
}

impl XlsxWriter {
    /// A workbook whose first sheet is titled `title`.
    ///
    /// # Errors
    /// When the sheet cannot be created.
    pub fn new(table: &Table, zone: Zone, title: &str, max_rows: Option<u64>) -> Result<XlsxWriter, XlsxError> {
        let level_fmt = |c: u32, bold: bool| {
            let f = Format::new().set_font_color(Color::RGB(c));
            if bold {
                f.set_bold()
            } else {
                f
            }
        };
        let widths: Vec<f64> = table
            .columns
            .iter()
            .map(|c| match c.kind {
                ColumnKind::Ts => 24.0,
                ColumnKind::Level => 8.0,
                ColumnKind::Msg => 90.0,
                ColumnKind::FieldsJson => 60.0,
                ColumnKind::Line => 8.0,
                _ => (c.name.len() as f64 + 2.0).max(16.0),
            })
            .collect();
        let mut w = XlsxWriter {
            wb: Workbook::new(),
            headers: table.header(),
            kinds: table.columns.iter().map(|c| c.kind.clone()).collect(),
            sheet: 0,
            row: 0,
            rows: 0,
            max_rows,
            zone,
            header_fmt: Format::new()
                .set_bold()
                .set_border_bottom(FormatBorder::Thin)
                .set_background_color(Color::RGB(0xDDEBF7)),
            time_fmt: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss.000"),
            level_fmts: [
                level_fmt(0x808080, false),
                level_fmt(0x2F75B5, false),
                level_fmt(0x375623, false),
                level_fmt(0xBF8F00, true),
                level_fmt(0xC00000, true),
                level_fmt(0x7030A0, true),
            ],
            title: title.to_string(),
            widths,
        };
        w.start_sheet()?;
        Ok(w)
    }

    fn sheet_name(&self) -> String {
        if self.sheet == 0 {
            self.title.clone()
        } else {
            format!("{} {}", self.title, self.sheet + 1)
        }
    }

    fn start_sheet(&mut self) -> Result<(), XlsxError> {
        let name = self.sheet_name();
        let ws = self.wb.add_worksheet_with_constant_memory()?;
        ws.set_name(name)?;
        for (i, w) in self.widths.iter().enumerate() {
            ws.set_column_width(i as u16, *w)?;
        }
        for (i, h) in self.headers.iter().enumerate() {
            ws.write_string_with_format(0, i as u16, h, &self.header_fmt)?;
        }
        ws.set_freeze_panes(1, 0)?;
        self.row = 1;
        Ok(())
    }

    fn finish_sheet(&mut self) -> Result<(), XlsxError> {
        let last_col = self.headers.len().saturating_sub(1) as u16;
        let last_row = self.row.saturating_sub(1).max(1);
        let ws = self.wb.worksheet_from_index(self.sheet)?;
        ws.autofilter(0, 0, last_row, last_col)?;
        Ok(())
    }

    /// Appends one row; past the sheet's last row a new sheet begins.
    ///
    /// # Errors
    /// Workbook errors, or more rows than `--max-rows`.
    pub fn write(&mut self, r: &Row) -> Result<(), XlsxExportError> {
        if let Some(max) = self.max_rows {
            if self.rows >= max {
                return Err(XlsxExportError::TooManyRows { max });
            }
        }
        if self.row >= EXCEL_MAX_ROWS {
            self.finish_sheet()?;
            self.sheet += 1;
            self.start_sheet()?;
        }
        let row = self.row;
        let sheet = self.sheet;
        let serial = r.ts.map(|n| {
            let secs = n.div_euclid(1_000_000_000);
            let off = self.zone.offset_at_utc(secs) as f64;
            (n as f64 / 1e9 + off) / 86_400.0 + 25_569.0
        });
        let ws = self.wb.worksheet_from_index(sheet)?;
        for (i, kind) in self.kinds.iter().enumerate() {
            let col = i as u16;
            match kind {
                ColumnKind::Ts => {
                    if let Some(s) = serial {
                        ws.write_number_with_format(row, col, s, &self.time_fmt)?;
                    }
                }
                ColumnKind::Level => {
                    if let (Some(l), Some(Some(text))) = (r.level, r.cells.get(i)) {
                        ws.write_string_with_format(row, col, text, &self.level_fmts[l.index()])?;
                    }
                }
                _ => {
                    if let Some(Some(text)) = r.cells.get(i) {
                        if text.chars().count() > EXCEL_MAX_CHARS {
                            let cut: String = text.chars().take(EXCEL_MAX_CHARS - 16).collect();
                            ws.write_string(row, col, format!("{cut}…[truncated]"))?;
                        } else {
                            ws.write_string(row, col, text)?;
                        }
                    }
                }
            }
        }
        self.row += 1;
        self.rows += 1;
        Ok(())
    }

    /// Adds a sheet with the given title for further rows (audit exports: one per grouping).
    ///
    /// # Errors
    /// Workbook errors.
    pub fn new_sheet(&mut self, title: &str, table: &Table) -> Result<(), XlsxError> {
        self.finish_sheet()?;
        self.title = title.to_string();
        self.headers = table.header();
        self.kinds = table.columns.iter().map(|c| c.kind.clone()).collect();
        self.widths = table.columns.iter().map(|c| if c.kind == ColumnKind::Msg { 90.0 } else { 18.0 }).collect();
        self.sheet += 1;
        // A grouping sheet keeps its own title (no number).
        let name = title.to_string();
        let ws = self.wb.add_worksheet_with_constant_memory()?;
        ws.set_name(name)?;
        for (i, w) in self.widths.iter().enumerate() {
            ws.set_column_width(i as u16, *w)?;
        }
        for (i, h) in self.headers.iter().enumerate() {
            ws.write_string_with_format(0, i as u16, h, &self.header_fmt)?;
        }
        ws.set_freeze_panes(1, 0)?;
        self.row = 1;
        Ok(())
    }

    /// Finishes and writes the workbook to `path`.
    ///
    /// # Errors
    /// Workbook and I/O errors (a full disk among them).
    pub fn save(mut self, path: &Path) -> Result<(), XlsxError> {
        self.finish_sheet()?;
        self.wb.save(path)
    }
}
