"""Mail: the outbox that every feature queues into, the worker that drains it, and its page."""
