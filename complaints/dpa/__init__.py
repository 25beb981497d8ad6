"""The data-protection clocks (DPA 2018 s.164A complaints, subject access requests): pure Python."""
