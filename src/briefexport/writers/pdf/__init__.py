"""The PDF client report: the report and edition writers, the body HTML, the sandboxed fetcher,
link annotations, QR codes and the fast WeasyPrint import."""
