"""What the commands do beyond one export: batches, the preflight check, watch, the live
preview, and the starting points ``init`` and ``theme copy`` write."""
