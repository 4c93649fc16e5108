"""The listing lifecycle (上架/下架) and rectification (整改) of the district's apps.

- Each app has a listing status: trial (试运行), listed (已上架) or delisted (已下架). The
  config's `apps[].status` is where an app starts; every change after that is recorded here
  (`listing set`), and each change runs the pre-listing evaluation (monitor.governance.evaluate) and
  keeps its verdict and report with the change.
- A listed app the inventory audit flags (zombie, low-frequency, low-availability) gets a
  rectification item with the audit's deadline; its owner is notified when it is opened and
  again before the deadline (through the alerting outbox, so nothing is lost); the item closes
  when an audit no longer flags the app, or by hand with a note.
- The monthly report lists the month's status changes and the items with their progress.
"""
