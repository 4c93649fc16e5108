"""The incident analysis report (故障分析报告): built from one incident, its deliveries and
the raw results around it (build.py, evidence.py, analysis.py), as data (model.py), JSON
(jsonview.py) and HTML/PDF (view.py); draft.py writes a draft when an incident resolves."""
