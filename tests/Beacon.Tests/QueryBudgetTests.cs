using GenomeNode.Passport.Datasets;

namespace GenomeNode.Beacon.Tests;

/// <summary>Query budgets on a real node: spent by answers, refused with Retry-After, kept across a restart.</summary>
public sealed class QueryBudgetTests
{
    // A miss costs 1, a hit 2, a rare hit 25 (the defaults); a request holds 25 per dataset until its answer is costed.
    private const int Budget = 60;

    [Fact]
    public async Task A_spent_budget_is_refused_with_retry_after_until_the_window_frees_it_and_a_restart_does_not_reset_it()
    {
        // Owns the data directory; the nodes below start on it one after the other.
        await using var owner = await ControlledDataAsync();
        await using (var node = WithBudget(owner.Sharing()))
        {
            var answered = 0;
            HttpResponseMessage? refusal = null;
            using var client = node.CreateClient();
            for (var position = 1; position < 500 && refusal is null; position++)
            {
                // Positions where nothing is stored: misses, 1 point each.
                var response = await client.GetAsync(new Uri($"/api/g_variants?referenceName=2&start={position}&referenceBases=A&alternateBases=T&datasetIds=ctrl", UriKind.Relative));
                if ((int)response.StatusCode == 200)
                {
                    answered++;
                    response.Dispose();
                }
                else
                {
                    refusal = response;
                }
            }

            Assert.NotNull(refusal);
            using (refusal)
            {
                Assert.Equal(429, (int)refusal.StatusCode);
                var json = await refusal.Content.ReadAsStringAsync();
                BeaconSchemas.AssertValid(json, BeaconSchemas.ErrorResponse);
                Assert.Contains("query budget", (string?)BeaconNode.Parse(json)["error"]!["errorMessage"], StringComparison.Ordinal);
                var retryAfter = refusal.Headers.RetryAfter?.Delta ?? TimeSpan.Zero;
                Assert.InRange(retryAfter, TimeSpan.FromHours(23), TimeSpan.FromDays(1));
            }

            // Every miss answered cost 1: the budget less the most one request may hold.
            Assert.Equal(Budget - 25 + 1, answered);

            // Public data costs nothing: still answered.
            var (publicStatus, _) = await node.GetAsync("/api/g_variants?referenceName=17&start=43045711&referenceBases=G&alternateBases=A&datasetIds=demo");
            Assert.Equal(200, publicStatus);
        }

        // The node restarts on the same data: what was spent is read back from the audit.
        await using var restarted = WithBudget(owner.Sharing());
        var (status, _) = await restarted.GetAsync("/api/g_variants?referenceName=2&start=777&referenceBases=A&alternateBases=T&datasetIds=ctrl");
        Assert.Equal(429, status);
    }

    [Fact]
    public async Task Concurrent_requests_of_one_client_cannot_together_spend_past_its_budget()
    {
        await using var node = WithBudget(await ControlledDataAsync());
        var statuses = await Task.WhenAll(Enumerable.Range(1, 200).Select(async position =>
            (await node.GetAsync($"/api/g_variants?referenceName=2&start={position}&referenceBases=A&alternateBases=T&datasetIds=ctrl")).Status));
        Assert.All(statuses, status => Assert.True(status is 200 or 429, $"status {status}"));
        // Each answered miss spent 1; however they interleave, no more than the budget is spent.
        Assert.InRange(statuses.Count(status => status == 200), 1, Budget);
    }

    /// <summary>A node (not started) whose data holds a controlled dataset of 50 individuals.</summary>
    private static async Task<BeaconNode> ControlledDataAsync()
    {
        var node = new BeaconNode();
        await using var prepare = node.Sharing();
        _ = prepare.Server;
        await prepare.AddDatasetAsync("ctrl", AccessTier.Controlled, Tools.SyntheticVcf(node.Data.Combine("c.vcf.gz"), 300, 50, seed: 3, annotated: false));
        return node;
    }

    private static BeaconNode WithBudget(BeaconNode node)
    {
        node.Settings["Privacy:Budget:Anonymous"] = Budget.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return node;
    }
}
