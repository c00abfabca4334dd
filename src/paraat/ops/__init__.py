"""Operations: health and readiness probes, security.txt, backup and restore, full export and
import in an open format (issue 8)."""
