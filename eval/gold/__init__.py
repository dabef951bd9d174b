"""Gold case set: cases, labels, gold letters and the script that renders the letters."""
