"""The audit trail of finalized cases: record contract, schema, store and record building."""
