module github.com/hybridsim/hybridsim

go 1.26.8
