# Prints wrk's --latency percentile p (e.g. -v p=99%) in milliseconds.
/Latency Distribution/ { section = 1; next }
section && $1 == p {
  v = $2; n = v + 0
  if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000
  printf "%.3f\n", n; exit
}
