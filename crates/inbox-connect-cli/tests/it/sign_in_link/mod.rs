//! `connect --no-browser` prints the sign-in link as its first line: the tests read it there.

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, ChildStdout};
use url::Url;

/// The CLI's stdout (for the lines after) and the sign-in link of its first line.
pub async fn read(child: &mut Child) -> (BufReader<ChildStdout>, Url) {
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    stdout.read_line(&mut first).await.expect("the first line");
    let link = Url::parse(first.trim())
        .unwrap_or_else(|e| panic!("the first line is the sign-in link ({e}): {first}"));
    (stdout, link)
}
