package dev.slipway.charts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The portal loads the chart from the classpath: the jar carries it under charts/microservice/. */
class ChartPackagingTest {

  @Test
  void chartIsOnTheClasspathUnderChartsMicroservice() {
    for (String file : new String[] {"Chart.yaml", "values.yaml", "values.schema.json", "templates/_helpers.tpl",
        "templates/deployment.yaml", "templates/cronjob.yaml", "templates/service.yaml", "templates/ingress.yaml",
        "templates/hpa.yaml", "templates/pdb.yaml", "templates/serviceaccount.yaml",
        "templates/secretproviderclass.yaml"}) {
      assertThat(getClass().getResource("/charts/microservice/" + file)).as(file).isNotNull();
    }
  }
}
