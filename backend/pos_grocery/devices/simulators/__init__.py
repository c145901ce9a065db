"""Protocol-speaking device simulators (printer, scale, pole display) served over a pty, TCP or a file."""
