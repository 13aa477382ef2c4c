"""Operations on the data: editing rows, backups and restores, private contacts."""
