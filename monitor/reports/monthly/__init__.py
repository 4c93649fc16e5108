"""The monthly quality report (运维月报): built from the ledger's rollups and the alert
store (build.py), as data (model.py), JSON (jsonview.py), HTML/PDF (view.py) and mail
(mail.py); schedule.py writes it on the first of each month."""
