"""The `news` spider: decides what to fetch; extraction lives in newsarchive.extract."""
