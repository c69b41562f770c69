//! Progress on stderr: a spinner on a terminal (indicatif), plain lines in CI and pipes.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal as _;
use std::time::Duration;

/// Where progress goes. Results go to stdout; this only ever writes to stderr.
#[derive(Debug)]
pub struct Progress {
    spinner: Option<ProgressBar>,
    /// Values to blank out of every line (secrets, tokens).
    redact: Vec<String>,
    /// The last step printed as a line (a repeated step is not printed again).
    last_step: std::cell::RefCell<String>,
}

impl Progress {
    /// A spinner when stderr is a terminal outside CI, else plain lines.
    pub fn new() -> Self {
        let interactive = std::io::stderr().is_terminal()
            && std::env::var_os("CI").is_none()
            && std::env::var("TERM").map_or(true, |t| t != "dumb");
        let spinner = interactive.then(|| {
            let bar = ProgressBar::new_spinner();
            if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress { spinner, redact: Vec::new(), last_step: Default::default() }
    }

    /// Adds values never to show.
    pub fn redact(&mut self, secrets: Vec<String>) {
        for s in secrets {
            if !self.redact.contains(&s) {
                self.redact.push(s);
            }
        }
    }

    /// Blanks out the secrets of a text.
    pub fn clean(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for s in &self.redact {
            text = text.replace(s.as_str(), "<redacted>");
        }
        text
    }

    /// What is being done now: the spinner's message, or a line.
    pub fn step(&self, message: &str) {
        let message = self.clean(message);
        match &self.spinner {
            Some(bar) => bar.set_message(message),
            None => {
                let mut last = self.last_step.borrow_mut();
                if *last != message {
                    eprintln!("{message}");
                    *last = message;
                }
            }
        }
    }

    /// A line that stays (above the spinner on a terminal).
    pub fn note(&self, message: &str) {
        let message = self.clean(message);
        match &self.spinner {
            Some(bar) => bar.println(message),
            None => eprintln!("{message}"),
        }
    }

    /// Removes the spinner.
    pub fn finish(&self) {
        if let Some(bar) = &self.spinner {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
