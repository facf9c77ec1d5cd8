package main

import (
	"strings"

	"github.com/hybridsim/hybridsim/plots"
	"github.com/hybridsim/hybridsim/report"
)

// chartOptions checks --format and --lang.
func chartOptions(f runFlags) (report.Options, error) {
	opt := report.Options{Lang: f.lang, Size: plots.SizeDefault, Version: version}
	switch f.size {
	case "default":
	case "a4":
		opt.Size = plots.SizeA4
	default:
		return opt, usagef("--size must be default or a4, got %q", f.size)
	}
	if f.lang != "en" && f.lang != "nl" {
		return opt, usagef("--lang must be en or nl, got %q", f.lang)
	}
	for _, x := range strings.Split(f.formats, ",") {
		x = strings.TrimSpace(strings.ToLower(x))
		switch x {
		case "png", "svg", "pdf":
			opt.Formats = append(opt.Formats, x)
		default:
			return opt, usagef("--format takes png, svg and pdf, got %q", x)
		}
	}
	return opt, nil
}
