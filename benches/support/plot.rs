//! Log-log line plots as self-contained SVG, for the benchmark's `--out` (no plotting library:
//! the plots are a few lines and dots).

use std::fmt::Write as _;

/// One line of a plot.
pub struct Series {
    /// Legend text.
    pub label: String,
    /// An SVG colour.
    pub color: &'static str,
    /// Drawn dashed (a secondary measure of the same tool).
    pub dashed: bool,
    /// (x, y) points, positive, in x order.
    pub points: Vec<(f64, f64)>,
}

/// A single point drawn apart from the lines (a square), with a label.
pub struct Marker {
    /// Text written beside it.
    pub label: String,
    /// An SVG colour.
    pub color: &'static str,
    /// Position, positive.
    pub x: f64,
    /// Position, positive.
    pub y: f64,
    /// Drawn filled (a secondary measure, as dashed lines are) rather than hollow.
    pub filled: bool,
}

/// A plot: its texts and how to label the axes' powers of ten.
pub struct Plot<'a> {
    /// The title above the plot.
    pub title: &'a str,
    /// Under the x axis.
    pub x_label: &'a str,
    /// Beside the y axis.
    pub y_label: &'a str,
    /// The label of 10^e on the x axis.
    pub x_tick: fn(i32) -> String,
    /// The label of 10^e on the y axis.
    pub y_tick: fn(i32) -> String,
    /// A line of text under the legend, shown when there are markers (what they are).
    pub note: &'a str,
}

/// Draws `series` and `markers` on log-log axes spanning whole powers of ten.
pub fn log_log(plot: &Plot, series: &[Series], markers: &[Marker]) -> String {
    let (w, h) = (720.0, 460.0);
    let (left, right, top, bottom) = (84.0, 34.0, 40.0, 60.0);
    let xs: Vec<f64> = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.0))
        .chain(markers.iter().map(|m| m.x))
        .filter(|v| *v > 0.0)
        .collect();
    let ys: Vec<f64> = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .chain(markers.iter().map(|m| m.y))
        .filter(|v| *v > 0.0)
        .collect();
    if xs.is_empty() || ys.is_empty() {
        return format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\"/>\n"
        );
    }
    let lg = f64::log10;
    let span = |v: &[f64]| {
        let lo = lg(v.iter().copied().fold(f64::INFINITY, f64::min)).floor();
        let hi = lg(v.iter().copied().fold(0.0, f64::max))
            .ceil()
            .max(lo + 1.0);
        (lo, hi)
    };
    let ((x_lo, x_hi), (y_lo, y_hi)) = (span(&xs), span(&ys));
    let px = |x: f64| left + (lg(x) - x_lo) / (x_hi - x_lo) * (w - left - right);
    let py = |y: f64| h - bottom - (lg(y) - y_lo) / (y_hi - y_lo) * (h - top - bottom);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"sans-serif\" font-size=\"12\">"
    );
    let _ = writeln!(s, "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
    let _ = writeln!(
        s,
        "<text x=\"{}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{}</text>",
        w / 2.0,
        plot.title
    );
    for e in (x_lo as i32)..=(x_hi as i32) {
        let x = px(10f64.powi(e));
        let _ = writeln!(
            s,
            "<line x1=\"{x:.1}\" y1=\"{top}\" x2=\"{x:.1}\" y2=\"{}\" stroke=\"#ddd\"/><text x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            h - bottom,
            h - bottom + 16.0,
            (plot.x_tick)(e)
        );
    }
    for e in (y_lo as i32)..=(y_hi as i32) {
        let y = py(10f64.powi(e));
        let _ = writeln!(
            s,
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{}\" y2=\"{y:.1}\" stroke=\"#ddd\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            w - right,
            left - 6.0,
            y + 4.0,
            (plot.y_tick)(e)
        );
    }
    let _ = writeln!(
        s,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
        (left + w - right) / 2.0,
        h - 18.0,
        plot.x_label
    );
    let _ = writeln!(
        s,
        "<text transform=\"translate(16 {}) rotate(-90)\" text-anchor=\"middle\">{}</text>",
        (top + h - bottom) / 2.0,
        plot.y_label
    );
    let mut ly = 0.0;
    for sr in series {
        let dash = if sr.dashed {
            " stroke-dasharray=\"6 4\""
        } else {
            ""
        };
        let coords: Vec<(f64, f64)> = sr.points.iter().map(|p| (px(p.0), py(p.1))).collect();
        let line: Vec<String> = coords
            .iter()
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect();
        let _ = writeln!(
            s,
            "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{dash} points=\"{}\"/>",
            sr.color,
            line.join(" ")
        );
        for (x, y) in &coords {
            let _ = writeln!(
                s,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\" fill=\"{}\"/>",
                sr.color
            );
        }
        let _ = writeln!(
            s,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2\"{dash}/><text x=\"{}\" y=\"{}\">{}</text>",
            left + 14.0,
            top + 14.0 + ly,
            left + 34.0,
            top + 14.0 + ly,
            sr.color,
            left + 40.0,
            top + 18.0 + ly,
            sr.label
        );
        ly += 18.0;
    }
    // Labels beside their squares, moved apart vertically where they would overlap.
    let mut placed: Vec<(f64, f64, &Marker)> =
        markers.iter().map(|m| (px(m.x), py(m.y), m)).collect();
    placed.sort_by(|a, b| a.1.total_cmp(&b.1));
    let mut last_label_y = f64::NEG_INFINITY;
    for (x, y, m) in placed {
        let mut label_y = y + 4.0;
        if !m.label.is_empty() {
            label_y = label_y.max(last_label_y + 12.0);
            last_label_y = label_y;
        }
        let _ = writeln!(
            s,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"10\" height=\"10\" fill=\"{}\" fill-opacity=\"0.5\" stroke=\"{}\" stroke-width=\"2\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\" fill=\"{}\">{}</text>",
            x - 5.0,
            y - 5.0,
            if m.filled { m.color } else { "none" },
            m.color,
            x - 9.0,
            label_y,
            m.color,
            m.label
        );
    }
    if !plot.note.is_empty() && !markers.is_empty() {
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{}\" font-size=\"11\">{}</text>",
            left + 14.0,
            top + 18.0 + ly,
            plot.note
        );
    }
    let _ = writeln!(s, "</svg>");
    s
}
