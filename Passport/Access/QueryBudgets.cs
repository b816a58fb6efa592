using System.Globalization;
using System.Net;
using DuckDB.NET.Data;
using GenomeNode.Passport.Clearinghouse;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GenomeNode.Passport.Access;

/// <summary>
/// Configuration section <c>Privacy:Budget</c>: how much each identity may learn of registered and controlled datasets
/// it holds no grant for, over a sliding window, weighted by what each answer reveals (Raisaro et al. 2017).
/// </summary>
public sealed class QueryBudgetOptions
{
    public const string Section = "Privacy:Budget";

    /// <summary>The sliding window a budget is spent over.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Points per window for a caller without a passport (per client address); 0 sets no budget.</summary>
    public double Anonymous { get; set; } = 1000;

    /// <summary>Points per window for a passport holder (per subject and issuer); 0 sets no budget.</summary>
    public double Registered { get; set; } = 5000;

    /// <summary>What an answer that a dataset holds no match costs.</summary>
    public double MissCost { get; set; } = 1;

    /// <summary>What a hit on alleles seen in at least <see cref="RareBelow"/> individuals costs.</summary>
    public double HitCost { get; set; } = 2;

    /// <summary>What a hit on an allele seen in fewer than <see cref="RareBelow"/> individuals costs: it reveals most.</summary>
    public double RareHitCost { get; set; } = 25;

    /// <summary>An allele seen in fewer individuals than this is rare for <see cref="RareHitCost"/>.</summary>
    public int RareBelow { get; set; } = 20;

    /// <summary>The most one dataset's answer can cost.</summary>
    public double MostCost => Math.Max(MissCost, Math.Max(HitCost, RareHitCost));
}

/// <summary>A part of an identity's budget held for a request until its answer's cost is known.</summary>
public sealed class BudgetReservation
{
    internal BudgetReservation(string identity, double amount)
    {
        Identity = identity;
        Amount = amount;
    }

    public string Identity { get; }

    internal double Amount { get; }

    internal bool Settled { get; set; }
}

/// <summary>
/// Query budgets per identity over a sliding window. A request first reserves the most its answer can cost (so that
/// concurrent requests of one identity cannot together spend past the budget), then settles what the answer did cost.
/// What was spent is the audit's: every answer's cost is in its audit rows, durable before the answer goes out, so after
/// a restart the budgets are read back from <c>passport.access_decisions</c> and nothing is forgotten.
/// </summary>
public sealed class QueryBudgets(IOptions<QueryBudgetOptions> options, TimeProvider time, IServiceScopeFactory scopes)
{
    private readonly Dictionary<string, Account> accounts = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private bool loaded;
    private DateTimeOffset lastPruned = DateTimeOffset.MinValue;

    /// <summary>The identity a budget is kept for: the passport's issuer and subject, else the client (an IPv6 /64).</summary>
    public static string IdentityOf(Caller caller, IPAddress? client)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return IdentityOf(caller.Passport?.Subject, caller.Passport?.Issuer, RequestAccess.ClientKey(client));
    }

    private static string IdentityOf(string? subject, string? issuer, string? client) =>
        subject is not null ? $"passport {issuer} {subject}" : $"client {client ?? "unknown"}";

    /// <summary>The budget for a caller; 0 when it has none.</summary>
    public double LimitFor(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Passport is null ? options.Value.Anonymous : options.Value.Registered;
    }

    /// <summary>
    /// Holds <paramref name="most"/> of the identity's budget, or says when enough of it is free again (null
    /// reservation). A caller without a budget always gets its reservation.
    /// </summary>
    public (BudgetReservation? Reservation, TimeSpan RetryAfter) TryReserve(string identity, double limit, double most)
    {
        ArgumentNullException.ThrowIfNull(identity);
        EnsureLoaded();
        var now = time.GetUtcNow();
        var window = options.Value.Window;
        lock (gate)
        {
            if (limit <= 0)
            {
                return (new BudgetReservation(identity, 0), TimeSpan.Zero);
            }

            var account = AccountOf(identity);
            account.Expire(now - window);
            if (account.Spent + account.Reserved + most <= limit)
            {
                account.Reserved += most;
                return (new BudgetReservation(identity, most), TimeSpan.Zero);
            }

            return (null, account.FreeAfter(limit - most - account.Reserved, now, window));
        }
    }

    /// <summary>Spends what the answer cost (at most what was held) and frees the rest of the reservation.</summary>
    public void Settle(BudgetReservation reservation, double cost)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        var now = time.GetUtcNow();
        lock (gate)
        {
            if (reservation.Settled)
            {
                return;
            }

            reservation.Settled = true;
            if (reservation.Amount <= 0)
            {
                return;
            }

            var account = AccountOf(reservation.Identity);
            account.Reserved -= reservation.Amount;
            account.Add(now, Math.Min(cost, reservation.Amount));
        }
    }

    private Account AccountOf(string identity)
    {
        if (!accounts.TryGetValue(identity, out var account))
        {
            if (accounts.Count >= 100_000 && time.GetUtcNow() - lastPruned > TimeSpan.FromMinutes(1))
            {
                // Many identities (an address-rotating client): forget those with nothing left in the window, at most
                // once a minute so that a flood of new identities does not scan them all each time.
                lastPruned = time.GetUtcNow();
                var horizon = lastPruned - options.Value.Window;
                foreach (var (key, idle) in accounts.Where(pair => pair.Value.IsIdle(horizon)).ToList())
                {
                    accounts.Remove(key);
                }
            }

            accounts[identity] = account = new Account();
        }

        return account;
    }

    /// <summary>Reads what was spent within the window from the audit table, once, before the first reservation.</summary>
    private void EnsureLoaded()
    {
        if (Volatile.Read(ref loaded))
        {
            return;
        }

        lock (gate)
        {
            if (loaded)
            {
                return;
            }

            using var scope = scopes.CreateScope();
            var connection = scope.ServiceProvider.GetRequiredService<DuckDBConnection>();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT subject, issuer, client_address, decided_at, cost FROM passport.access_decisions " +
                "WHERE cost > 0 AND decided_at >= $1 ORDER BY decided_at";
            command.Parameters.Add(new DuckDBParameter((time.GetUtcNow() - options.Value.Window).UtcDateTime));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var client = reader.IsDBNull(2) ? null : IPAddress.TryParse(reader.GetString(2), out var address) ? RequestAccess.ClientKey(address) : reader.GetString(2);
                var identity = IdentityOf(reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), client);
                AccountOf(identity).Add(new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(3), DateTimeKind.Utc)), reader.GetDouble(4));
            }

            Volatile.Write(ref loaded, true);
        }
    }

    private sealed class Account
    {
        private readonly Queue<(DateTimeOffset At, double Cost)> spending = new();

        public double Spent { get; private set; }

        public double Reserved { get; set; }

        public void Add(DateTimeOffset at, double cost)
        {
            if (cost > 0)
            {
                spending.Enqueue((at, cost));
                Spent += cost;
            }
        }

        public void Expire(DateTimeOffset horizon)
        {
            while (spending.TryPeek(out var oldest) && oldest.At < horizon)
            {
                spending.Dequeue();
                Spent -= oldest.Cost;
            }

            if (spending.Count == 0)
            {
                Spent = 0; // no drift from adding and taking doubles
            }
        }

        public bool IsIdle(DateTimeOffset horizon)
        {
            Expire(horizon);
            return spending.Count == 0 && Reserved <= 0;
        }

        /// <summary>How long until no more than <paramref name="allowed"/> is spent within the window.</summary>
        public TimeSpan FreeAfter(double allowed, DateTimeOffset now, TimeSpan window)
        {
            var spent = Spent;
            foreach (var (at, cost) in spending)
            {
                if (spent <= allowed)
                {
                    break;
                }

                spent -= cost;
                if (spent <= allowed)
                {
                    var wait = at + window - now;
                    return wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1);
                }
            }

            return spent <= allowed ? TimeSpan.FromSeconds(1) : window;
        }
    }
}

internal sealed class QueryBudgetOptionsValidator : IValidateOptions<QueryBudgetOptions>
{
    public ValidateOptionsResult Validate(string? name, QueryBudgetOptions options)
    {
        var failures = new List<string>();
        if (options.Window <= TimeSpan.Zero || options.Window > TimeSpan.FromDays(366))
        {
            failures.Add($"{QueryBudgetOptions.Section}:Window must be more than 0 and at most 366 days (got {options.Window})");
        }

        foreach (var (key, value) in new[]
                 {
                     ("Anonymous", options.Anonymous), ("Registered", options.Registered), ("MissCost", options.MissCost),
                     ("HitCost", options.HitCost), ("RareHitCost", options.RareHitCost),
                 })
        {
            if (!double.IsFinite(value) || value < 0)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{QueryBudgetOptions.Section}:{key} must be 0 or more (got {value})"));
            }
        }

        if (options.RareBelow < 0)
        {
            failures.Add($"{QueryBudgetOptions.Section}:RareBelow must be 0 or more (got {options.RareBelow})");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
